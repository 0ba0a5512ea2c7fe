package io.tunelab.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Named activity options. I/O activities are short and retried quickly; training activities run on
 * the training queue, heartbeat, and are retried on any worker from the last checkpoint. Bad input
 * is never retried.
 */
public final class ActivityStubs {
  /** Failure type of bad input: a usage error the user must fix; never retried. */
  public static final String BAD_INPUT = "BadInput";

  /**
   * How long a training activity may go without a heartbeat before Temporal retries it on another
   * worker. Activities heartbeat every 2 s from a background thread, so this is also about how long
   * a killed worker's epoch waits before it restarts elsewhere.
   */
  public static final Duration TRAINING_HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);

  private ActivityStubs() {}

  private static RetryOptions retry(int attempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2.0)
        .setMaximumInterval(Duration.ofSeconds(30))
        .setMaximumAttempts(attempts)
        .setDoNotRetry(BAD_INPUT)
        .build();
  }

  /**
   * Short object-store and bookkeeping calls (seconds). They do not heartbeat, so their
   * start-to-close timeout is how long a call on a killed worker waits before it is retried
   * elsewhere: one minute, far above what they take.
   */
  public static ActivityOptions io() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(retry(5))
        .build();
  }

  /** Ingest: long, heartbeating, retried a few times. */
  public static ActivityOptions ingest() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(4))
        .setHeartbeatTimeout(Duration.ofMinutes(2))
        .setRetryOptions(retry(5))
        .build();
  }

  /** Training and evaluation on the training queue: heartbeating, retried from checkpoints. */
  public static ActivityOptions training(String trainingQueue) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(trainingQueue)
        .setStartToCloseTimeout(Duration.ofHours(12))
        .setHeartbeatTimeout(TRAINING_HEARTBEAT_TIMEOUT)
        .setRetryOptions(retry(10))
        .build();
  }

  /**
   * A stub of {@code type}'s activities with {@code options}, whose calls Temporal's UI lists as
   * {@code summary} (an ActivityTaskScheduled event's user metadata). Inside a workflow only.
   */
  static <T> T summarized(Class<T> type, ActivityOptions options, String summary) {
    return Workflow.newActivityStub(
        type, ActivityOptions.newBuilder(options).setSummary(summary).build());
  }
}
