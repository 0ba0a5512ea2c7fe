package io.tunelab.workflows.model;

/**
 * Start the experiment of one dataset version.
 *
 * @param spec the watcher's settings
 * @param version the version
 * @param taskQueue the task queue the experiment's workflow runs on
 * @param searchAttributes whether the run starts with tunelab's search attributes: so the watcher
 *     did, so the namespace has them registered; {@code false} in histories written before the
 *     field
 */
public record WatchedRun(
    WatchSpec spec, DatasetVersion version, String taskQueue, boolean searchAttributes) {
  public WatchedRun {
    if (spec == null || version == null || taskQueue == null) {
      throw new IllegalArgumentException("spec, version and task queue must not be null");
    }
  }

  /** A run that starts without search attributes (memo and summary only). */
  public WatchedRun(WatchSpec spec, DatasetVersion version, String taskQueue) {
    this(spec, version, taskQueue, false);
  }
}
