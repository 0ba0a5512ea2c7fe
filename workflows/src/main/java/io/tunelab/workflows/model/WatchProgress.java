package io.tunelab.workflows.model;

/**
 * What a watcher carries into its next execution besides its settings.
 *
 * @param runsStarted runs started so far
 * @param executions executions so far
 * @param lastRunId the last run started, or {@code null}
 */
public record WatchProgress(int runsStarted, int executions, String lastRunId) {
  /** A watcher that has just been started. */
  public static WatchProgress first() {
    return new WatchProgress(0, 1, null);
  }
}
