package io.tunelab.training;

/**
 * How an epoch's samples, in the epoch's order, are cut into training batches: batches of the batch
 * size, a remainder of at least half a batch as a last batch of its own, and a smaller remainder
 * joined to the last full batch. A step on a trailing batch of one sample weighs it as much as a
 * whole batch's mean and batch norm normalises it alone: on 225 images at batch 32 that one step
 * made the training loss jump tenfold at a sound rate, which read as too high a rate and hid
 * overfitting (bench/README.md, the diagnosis harness).
 *
 * @param samples the number of training samples
 * @param batchSize the batch size the run asked for
 */
record Batches(int samples, int batchSize) {
  Batches {
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be >= 0: " + samples);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0: " + batchSize);
    }
  }

  /** The number of steps (batches) in the epoch. */
  int count() {
    int full = samples / batchSize;
    int rest = samples % batchSize;
    if (rest == 0) {
      return full;
    }
    return full == 0 || 2 * rest >= batchSize ? full + 1 : full;
  }

  /** The first sample (position in the epoch's order) of step {@code step}. */
  int from(int step) {
    return step * batchSize;
  }

  /** One past the last sample of step {@code step}: the last step runs to the end. */
  int to(int step) {
    return step == count() - 1 ? samples : Math.min(samples, (step + 1) * batchSize);
  }
}
