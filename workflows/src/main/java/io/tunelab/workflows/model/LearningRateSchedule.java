package io.tunelab.workflows.model;

import java.util.List;

/**
 * Per-epoch learning rates. The workflow computes them so that the schedule's state lives in the
 * workflow's history, not in a worker's memory.
 */
public final class LearningRateSchedule {
  private static final double PLATEAU_FACTOR = 0.5;
  private static final int PLATEAU_PATIENCE = 2;

  private LearningRateSchedule() {}

  /**
   * The learning rate of {@code epoch} (from 1) given the epochs already finished.
   *
   * @param params the arm's hyper-parameters
   * @param epoch the epoch about to run
   * @param history metrics of the epochs before it
   */
  public static double forEpoch(TrainingParams params, int epoch, List<EpochMetrics> history) {
    int warmup = params.warmupEpochs();
    if (epoch <= warmup) {
      return params.learningRate() * epoch / (warmup + 1);
    }
    return scheduled(params, epoch, history);
  }

  private static double scheduled(TrainingParams params, int epoch, List<EpochMetrics> history) {
    double base = params.learningRate();
    int total = params.epochs();
    switch (params.schedule()) {
      case STEP:
        {
          if (!params.milestones().isEmpty()) {
            // multiplied by gamma after each milestone epoch
            long passed = params.milestones().stream().filter(m -> epoch > m).count();
            return base * Math.pow(params.gamma(), passed);
          }
          int stepSize = Math.max(1, total / 3);
          return base * Math.pow(params.gamma(), (epoch - 1) / stepSize);
        }
      case COSINE:
        {
          double progress = total <= 1 ? 0 : (double) (epoch - 1) / total;
          return base * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
      case PLATEAU:
        {
          double best = Double.POSITIVE_INFINITY;
          int waited = 0;
          int cuts = 0;
          for (EpochMetrics m : history) {
            if (m.epoch() < 1) {
              continue;
            }
            if (m.valLoss() < best) {
              best = m.valLoss();
              waited = 0;
            } else if (++waited >= PLATEAU_PATIENCE) {
              cuts++;
              waited = 0;
            }
          }
          return base * Math.pow(PLATEAU_FACTOR, cuts);
        }
      default:
        return base;
    }
  }
}
