package io.tunelab.workflows;

/**
 * Task queue names. Workflows and I/O activities share the configured queue; training activities go
 * to a queue of their own so that each worker can cap how many models it trains at once without
 * holding up ingest, evaluation or reports. Runs that ask for a GPU train on a third queue that
 * only GPU workers poll.
 */
public final class TaskQueues {
  /** The default task queue, {@code TUNELAB_TASK_QUEUE}'s default. */
  public static final String DEFAULT = "tunelab";

  private static final String TRAINING_SUFFIX = "-training";

  private static final String GPU_SUFFIX = "-gpu";

  private TaskQueues() {}

  /** The training queue that belongs to a base queue. */
  public static String training(String base) {
    return base + TRAINING_SUFFIX;
  }

  /** The training queue of runs started with {@code --device gpu}: polled by GPU workers only. */
  public static String gpuTraining(String base) {
    return training(base) + GPU_SUFFIX;
  }
}
