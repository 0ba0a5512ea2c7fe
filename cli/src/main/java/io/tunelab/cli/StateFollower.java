package io.tunelab.cli;

import io.tunelab.workflows.model.RunState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Follows a running workflow's state for a progress view. Its state comes from a query, which a
 * worker answers by replaying the run's whole history (sticky execution is off), so it asks only
 * when the history has grown since the last answer: the state changes only with new events. A
 * describe call, which the service answers alone, tells the history's length and carries the
 * heartbeats of the activities in flight. When the length is unknown it asks every time.
 */
final class StateFollower {

  /**
   * What one describe call tells about a workflow.
   *
   * @param historyLength events in its history; {@code -1} when unknown
   * @param steps progress of its activities in flight, from their last heartbeats
   */
  record Execution(long historyLength, List<Map<String, Object>> steps) {
    Execution {
      steps = List.copyOf(steps);
    }
  }

  /**
   * The state to show and the progress of the activities in flight.
   *
   * @param state the run's state as its workflow last told it
   * @param steps progress of its activities in flight
   */
  record Snapshot(RunState state, List<Map<String, Object>> steps) {}

  private final Function<String, Execution> describe;
  private final Function<String, Optional<RunState>> query;
  private RunState state;
  private long historyLength = -1;

  StateFollower(Function<String, Execution> describe, Function<String, Optional<RunState>> query) {
    this.describe = describe;
    this.query = query;
  }

  /** The run's state now, queried only when its history grew; empty until a query answered. */
  Optional<Snapshot> poll(String runId) {
    Execution execution = describe.apply(runId);
    long length = execution.historyLength();
    if (state == null || length < 0 || length != historyLength) {
      Optional<RunState> answer = query.apply(runId);
      if (answer.isPresent()) {
        state = answer.get();
        historyLength = length;
      }
    }
    return state == null ? Optional.empty() : Optional.of(new Snapshot(state, execution.steps()));
  }
}
