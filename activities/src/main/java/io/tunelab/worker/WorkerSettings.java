package io.tunelab.worker;

/**
 * How much a worker takes on at once.
 *
 * @param trainingSlots models trained at the same time (1 keeps runs reproducible: DJL's engine
 *     seed is process-wide)
 * @param ioSlots ingest, report and registry activities at the same time
 * @param shardCacheEntries decoded shards kept in memory
 */
public record WorkerSettings(int trainingSlots, int ioSlots, int shardCacheEntries) {
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

  /** One model at a time, a few I/O activities, a handful of cached shards. */
  public static WorkerSettings defaults() {
    return new WorkerSettings(1, 4, 6);
  }
}
