package io.tunelab.worker;

import io.tunelab.workflows.TaskQueues;

/**
 * How much a worker takes on at once.
 *
 * @param trainingSlots models trained at the same time (1 keeps runs reproducible: DJL's engine
 *     seed is process-wide)
 * @param ioSlots ingest, report and registry activities at the same time
 * @param shardCacheEntries decoded shards kept in memory
 * @param gpuTraining train from the GPU training queue ({@code --device gpu} runs) instead of the
 *     shared one: for workers whose engine sees a GPU
 */
public record WorkerSettings(
    int trainingSlots, int ioSlots, int shardCacheEntries, boolean gpuTraining) {
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
    if (ioSlots < 1) {
      throw new IllegalArgumentException("I/O slots must be >= 1: " + ioSlots);
    }
  }

  /** A worker that trains from the shared training queue. */
  public WorkerSettings(int trainingSlots, int ioSlots, int shardCacheEntries) {
    this(trainingSlots, ioSlots, shardCacheEntries, false);
  }

  /** One model at a time, a few I/O activities, a handful of cached shards, the shared queue. */
  public static WorkerSettings defaults() {
    return new WorkerSettings(1, 4, 6);
  }

  /** The same settings, training from the GPU training queue instead. */
  public WorkerSettings withGpuTraining() {
    return new WorkerSettings(trainingSlots, ioSlots, shardCacheEntries, true);
  }

  /** The training queue a worker of the base queue polls with these settings. */
  public String trainingQueue(String taskQueue) {
    return gpuTraining ? TaskQueues.gpuTraining(taskQueue) : TaskQueues.training(taskQueue);
  }
}
