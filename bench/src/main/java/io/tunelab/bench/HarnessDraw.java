package io.tunelab.bench;

/**
 * One dataset at one seed: the cases' datasets ({@link #data}, on the dataset's target labels) and
 * the small new-task target ({@link #other}, on classes 5–9), drawn from per-label orders the seed
 * shuffles.
 *
 * @param dataset the dataset and its sizes
 * @param seed the seed of the data drawn and of the runs ({@code --seed})
 * @param data datasets on the dataset's target labels
 * @param other datasets on labels 5–9, the classes the source model never saw
 */
record HarnessDraw(
    HarnessDataset dataset, long seed, ScenarioDatasets data, ScenarioDatasets other) {
  HarnessDraw {
    if (seed <= 0) {
      throw new IllegalArgumentException("seeds are positive, not " + seed);
    }
  }

  static HarnessDraw of(HarnessDataset dataset, long seed) {
    return new HarnessDraw(
        dataset,
        seed,
        dataset.draw(seed, dataset.target()),
        dataset.draw(seed, ScenarioDatasets.OTHER));
  }

  /** Training images per class of the healthy baseline, scaled by {@code fraction}, at least 4. */
  int train(double fraction) {
    return Math.max(4, (int) Math.round(fraction * dataset.healthyTrain()));
  }

  /** The second target label: the one the imbalance cases starve. */
  int smallLabel() {
    return dataset.target()[1];
  }
}
