package io.tunelab.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.tunelab.dataset.BadInputException;
import io.tunelab.dataset.DatasetIngest;
import io.tunelab.workflows.activities.DatasetActivities;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.IngestRequest;

/**
 * Activity adapter over {@link DatasetIngest}: heartbeats each progress the ingest reports, and
 * fails without retry on bad input.
 */
public final class DatasetActivitiesImpl implements DatasetActivities {
  private final DatasetIngest ingest;

  public DatasetActivitiesImpl(DatasetIngest ingest) {
    this.ingest = ingest;
  }

  @Override
  public DatasetRef ingest(IngestRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    try {
      return ingest.ingest(request, context::heartbeat);
    } catch (BadInputException e) {
      throw BadInput.failure(e.getMessage());
    }
  }
}
