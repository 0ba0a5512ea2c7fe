package io.tunelab.worker;

import io.tunelab.workflows.TaskQueues;
import java.util.List;

/**
 * How much a worker takes on at once.
 *
 * @param trainingSlots models trained at the same time (1 keeps runs reproducible: DJL's engine
 *     seed is process-wide)
 * @param ioSlots ingest, report and registry activities at the same time
 * @param shardCacheEntries decoded shards kept in memory
 * @param training which training queues the worker takes epochs from
 */
public record WorkerSettings(
    int trainingSlots, int ioSlots, int shardCacheEntries, Training training) {
  /** Which training queues a worker polls. */
  public enum Training {
    /** The shared training queue: every run but {@code --device gpu} ones. */
    SHARED,
    /** The GPU training queue only ({@code worker --gpu}): {@code --device gpu} runs. */
    GPU,
    /**
     * Both: the embedded stack's worker, the only one there, so that a {@code --device gpu} run
     * trains on it (on the CPU, with a note, when it has no GPU) instead of waiting for a GPU
     * worker. Safe with one slot per queue: each epoch runs whole on the process's one libtorch
     * thread, so two runs' epochs take turns there.
     */
    EVERY
  }

  public WorkerSettings {
    if (trainingSlots != 1) {
      // DJL's engine seed and PyTorch's gradient collector are process-wide: two trainings in
      // one JVM fail ("A PtGradientCollector is already collecting"). Scale out with more
      // worker processes instead.
      throw new IllegalArgumentException(
          "training slots must be 1 (start more workers to train "
              + "more models at once): "
              + trainingSlots);
    }
    if (training == null) {
      throw new IllegalArgumentException("training queues: null");
    }
    if (ioSlots < 1) {
      throw new IllegalArgumentException("I/O slots must be >= 1: " + ioSlots);
    }
  }

  /** A worker that trains from the shared training queue. */
  public WorkerSettings(int trainingSlots, int ioSlots, int shardCacheEntries) {
    this(trainingSlots, ioSlots, shardCacheEntries, Training.SHARED);
  }

  /** One model at a time, a few I/O activities, a handful of cached shards, the shared queue. */
  public static WorkerSettings defaults() {
    return new WorkerSettings(1, 4, 6);
  }

  /** The same settings, training from {@code training}'s queues. */
  public WorkerSettings training(Training queues) {
    return new WorkerSettings(trainingSlots, ioSlots, shardCacheEntries, queues);
  }

  /** The training queues a worker of the base queue polls with these settings. */
  public List<String> trainingQueues(String taskQueue) {
    return switch (training) {
      case SHARED -> List.of(TaskQueues.training(taskQueue));
      case GPU -> List.of(TaskQueues.gpuTraining(taskQueue));
      case EVERY -> List.of(TaskQueues.training(taskQueue), TaskQueues.gpuTraining(taskQueue));
    };
  }
}
