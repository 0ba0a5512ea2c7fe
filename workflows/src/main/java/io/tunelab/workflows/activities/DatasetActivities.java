package io.tunelab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.IngestRequest;

/** Ingest and split datasets into the bucket. */
@ActivityInterface
public interface DatasetActivities {
  /**
   * Reads every file of the source, rejects bad ones, splits, and stores manifest, profile and
   * shards. Re-ingesting unchanged content returns the existing ingest. Bad input fails with the
   * non-retryable type {@code BadInput}.
   */
  @ActivityMethod
  DatasetRef ingest(IngestRequest request);
}
