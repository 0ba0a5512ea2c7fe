package io.tunelab.workflows.model;

/**
 * What a watcher reports when queried.
 *
 * @param spec its settings now
 * @param status {@code WATCHING} or {@code STOPPING}
 * @param looks looks at the bucket in this execution
 * @param runsStarted runs started since the watcher was first started (carried over
 *     continue-as-new)
 * @param executions executions so far: 1 plus the number of times it continued as new
 * @param lastRunId the last run it started, or {@code null}
 */
public record WatchState(
    WatchSpec spec, String status, int looks, int runsStarted, int executions, String lastRunId) {}
