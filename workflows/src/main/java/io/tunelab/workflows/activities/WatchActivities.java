package io.tunelab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tunelab.workflows.model.DatasetVersion;
import io.tunelab.workflows.model.RunStart;
import io.tunelab.workflows.model.WatchedRun;
import java.util.List;

/** What a watcher does to the bucket and to Temporal. */
@ActivityInterface
public interface WatchActivities {
  /**
   * The complete versions of a dataset (prefixes {@code datasets/NAME/<version>/} holding {@code
   * _READY}) that no watcher has handled yet, oldest first, with their content hashes.
   */
  @ActivityMethod
  List<DatasetVersion> newVersions(String datasetName);

  /**
   * Records and starts the experiment of a version unless a run of the same content exists, then
   * marks the version handled. Idempotent: calling it again starts nothing new.
   */
  @ActivityMethod
  RunStart startRun(WatchedRun run);
}
