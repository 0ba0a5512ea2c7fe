package io.tunelab.workflows.model;

/**
 * Start the experiment of one dataset version.
 *
 * @param spec the watcher's settings
 * @param version the version
 * @param taskQueue the task queue the experiment's workflow runs on
 */
public record WatchedRun(WatchSpec spec, DatasetVersion version, String taskQueue) {
  public WatchedRun {
    if (spec == null || version == null || taskQueue == null) {
      throw new IllegalArgumentException("spec, version and task queue must not be null");
    }
  }
}
