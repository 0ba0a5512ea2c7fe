package io.tunelab.cli;

import io.tunelab.workflows.model.RunState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Follows a running workflow's state for a progress view. Its state comes from a query, which a
 * worker answers by replaying the run's whole history (sticky execution is off), so it asks only
 * when the history has grown since the last answer: the state changes only with new events. A
 * describe call, which the service answers alone, tells the history's length and carries the
 * heartbeats of the activities in flight. When the length is unknown it asks every time, and it
 * asks at least every 30 seconds. Not thread-safe: one follower per run and caller.
 */
public final class StateFollower {

  /**
   * What one describe call tells about a workflow.
   *
   * @param historyLength events in its history; {@code -1} when unknown
   * @param steps progress of its activities in flight, from their last heartbeats
   */
  public record Execution(long historyLength, List<Map<String, Object>> steps) {
    public Execution {
      steps = List.copyOf(steps);
    }
  }

  /**
   * The state to show and the progress of the activities in flight.
   *
   * @param state the run's state as its workflow last told it
   * @param steps progress of its activities in flight
   */
  public record Snapshot(RunState state, List<Map<String, Object>> steps) {}

  /** The longest a state is shown without asking again, however still the history. */
  static final long MAX_AGE_NANOS = 30_000_000_000L;

  private final Function<String, Execution> describe;
  private final Function<String, Optional<RunState>> query;
  private final LongSupplier nanos;
  private RunState state;
  private long historyLength = -1;
  private long askedAt;

  public StateFollower(
      Function<String, Execution> describe, Function<String, Optional<RunState>> query) {
    this(describe, query, System::nanoTime);
  }

  StateFollower(
      Function<String, Execution> describe,
      Function<String, Optional<RunState>> query,
      LongSupplier nanos) {
    this.describe = describe;
    this.query = query;
    this.nanos = nanos;
  }

  /**
   * The run's state now: queried when its history grew, its length is unknown, or the last answer
   * is 30 seconds old (so that a run whose worker is gone is noticed); empty when the last query
   * got no answer (no worker answers, the workflow is gone).
   */
  public Optional<Snapshot> poll(String runId) {
    Execution execution = describe.apply(runId);
    long length = execution.historyLength();
    long now = nanos.getAsLong();
    if (state == null || length < 0 || length != historyLength || now - askedAt >= MAX_AGE_NANOS) {
      Optional<RunState> answer = query.apply(runId);
      askedAt = now;
      state = answer.orElse(null);
      historyLength = answer.isPresent() ? length : -1;
    }
    return state == null ? Optional.empty() : Optional.of(new Snapshot(state, execution.steps()));
  }
}
