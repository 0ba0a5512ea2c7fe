package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link StateFollower} queries a workflow only when its history grew or its length is unknown. */
class StateFollowerTest {

  private static RunState state(String phase) {
    return new RunState(
        "r1",
        "experiment",
        RunStatus.RUNNING,
        phase,
        null,
        Map.of(),
        null,
        List.of(),
        null,
        null,
        null,
        null);
  }

  /** Describe answers from a script of history lengths; queries answer from a script of states. */
  private static final class Scripted {
    final Deque<Long> lengths = new ArrayDeque<>();
    final Deque<Optional<RunState>> answers = new ArrayDeque<>();
    int queries;
    final List<Map<String, Object>> steps = List.of(Map.of("arm", "finetune", "step", 3));

    long now;

    StateFollower follower() {
      return new StateFollower(
          id -> new StateFollower.Execution(lengths.pop(), steps),
          id -> {
            queries++;
            return answers.pop();
          },
          () -> now);
    }
  }

  @Test
  void queriesOnlyWhenTheHistoryGrew() {
    Scripted s = new Scripted();
    RunState ingesting = state("ingesting");
    RunState training = state("training");
    s.lengths.addAll(List.of(5L, 5L, 5L, 12L, 12L));
    s.answers.addAll(List.of(Optional.of(ingesting), Optional.of(training)));
    StateFollower follower = s.follower();

    assertSame(ingesting, follower.poll("r1").orElseThrow().state());
    assertSame(ingesting, follower.poll("r1").orElseThrow().state());
    assertSame(ingesting, follower.poll("r1").orElseThrow().state());
    assertEquals(1, s.queries, "no query while the history stays at 5 events");
    StateFollower.Snapshot grown = follower.poll("r1").orElseThrow();
    assertSame(training, grown.state());
    assertEquals(s.steps, grown.steps(), "the heartbeats of every poll reach the view");
    follower.poll("r1");
    assertEquals(2, s.queries);
  }

  @Test
  void anUnknownLengthQueriesEveryTime() {
    Scripted s = new Scripted();
    s.lengths.addAll(List.of(-1L, -1L, -1L));
    s.answers.addAll(
        List.of(Optional.of(state("a")), Optional.of(state("b")), Optional.of(state("c"))));
    StateFollower follower = s.follower();
    follower.poll("r1");
    follower.poll("r1");
    assertEquals("c", follower.poll("r1").orElseThrow().state().phase());
    assertEquals(3, s.queries);
  }

  @Test
  void aQueryThatFailedIsAskedAgainAtTheSameLength() {
    Scripted s = new Scripted();
    s.lengths.addAll(List.of(3L, 3L, 3L));
    s.answers.addAll(List.of(Optional.empty(), Optional.of(state("training"))));
    StateFollower follower = s.follower();
    assertTrue(follower.poll("r1").isEmpty(), "nothing to show before the workflow answered");
    assertEquals("training", follower.poll("r1").orElseThrow().state().phase());
    follower.poll("r1");
    assertEquals(2, s.queries, "asked again after the failed query, then not at the same length");
  }

  @Test
  void anAnswerIsRenewedAfterThirtySecondsAndAFailedOneIsNotShown() {
    // a worker that dies mid-epoch leaves the history as it is: only the age tells
    Scripted s = new Scripted();
    s.lengths.addAll(List.of(9L, 9L, 9L, 9L));
    s.answers.addAll(
        List.of(Optional.of(state("training")), Optional.empty(), Optional.of(state("training"))));
    StateFollower follower = s.follower();
    assertTrue(follower.poll("r1").isPresent());
    s.now += StateFollower.MAX_AGE_NANOS - 1;
    assertTrue(follower.poll("r1").isPresent());
    assertEquals(1, s.queries, "not asked again within 30 s");
    s.now += 1;
    assertTrue(follower.poll("r1").isEmpty(), "no answer after 30 s: nothing stale is shown");
    assertEquals("training", follower.poll("r1").orElseThrow().state().phase());
    assertEquals(3, s.queries);
  }
}
