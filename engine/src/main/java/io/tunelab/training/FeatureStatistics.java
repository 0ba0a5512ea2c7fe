package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.diagnosis.ProbeResults;
import java.util.ArrayList;
import java.util.List;

/**
 * How far a split moves the inputs of a pretrained network's batch norms from the running
 * statistics the network keeps of its source data: per channel, the split's mean in source standard
 * deviations and its variance against the source's. Measured at the deepest batch norm reached by
 * walking the backbone's sequence of blocks (the small cnn's second stage; a resnet's stem), where
 * the features are the network's own and pixels that merely look alike (a quarter turn) or differ
 * only in brightness can no longer pass for each other. The source data is not needed: the running
 * statistics are its summary.
 */
final class FeatureStatistics {
  /** Channels whose running or measured variance is below this carry no signal. */
  private static final double MIN_VARIANCE = 1e-8;

  private FeatureStatistics() {}

  /**
   * The statistics of at most {@code maxSamples} samples of {@code split} (evenly spread) at the
   * deepest reachable batch norm of {@code network}'s backbone, or {@code null} when it has none.
   */
  static ProbeResults.FeatureStats measure(
      Network network, NDManager manager, LabeledImages split, int maxSamples) {
    if (split.size() == 0) {
      return null;
    }
    LabeledImages sample = spread(split, maxSamples);
    return Predictor.withoutGrad(() -> measureWithoutGrad(network, manager, sample));
  }

  private static ProbeResults.FeatureStats measureWithoutGrad(
      Network network, NDManager manager, LabeledImages sample) {
    ParameterStore store = new ParameterStore(manager, false);
    List<Moments> norms = new ArrayList<>();
    for (int from = 0; from < sample.size(); from += Network.EVAL_BATCH) {
      int to = Math.min(sample.size(), from + Network.EVAL_BATCH);
      try (NDManager batch = manager.newSubManager()) {
        NDArray x = Predictor.inputs(batch, network, sample, from, to);
        int[] index = {0};
        walk(network.backbone(), new NDList(x), store, norms, index);
      }
    }
    if (norms.isEmpty()) {
      return null;
    }
    return norms.get(norms.size() - 1).stats(sample.size());
  }

  /**
   * Runs {@code block} on {@code x} in inference mode, looking inside sequences and adding each
   * batch norm's input moments to the {@code index}-th entry of {@code norms} on the way.
   */
  private static NDList walk(
      Block block, NDList x, ParameterStore store, List<Moments> norms, int[] index) {
    if (block instanceof BatchNorm norm) {
      if (norms.size() <= index[0]) {
        norms.add(new Moments(norm));
      }
      norms.get(index[0]++).add(x.singletonOrThrow());
      return block.forward(store, x, false);
    }
    if (block instanceof SequentialBlock sequence) {
      NDList current = x;
      for (Block child : sequence.getChildren().values()) {
        current = walk(child, current, store, norms, index);
      }
      return current;
    }
    return block.forward(store, x, false);
  }

  /** Evenly spread samples of {@code split}, at most {@code max}. */
  private static LabeledImages spread(LabeledImages split, int max) {
    if (split.size() <= max) {
      return split;
    }
    List<Integer> kept = new ArrayList<>();
    for (int k = 0; k < max; k++) {
      kept.add((int) ((long) k * split.size() / max));
    }
    return Probes.subset(split, kept);
  }

  /** Per-channel sums of a batch norm's inputs (channel axis 1), and its running statistics. */
  private static final class Moments {
    private final float[] runningMean;
    private final float[] runningVar;
    private final double[] sum;
    private final double[] sumSquares;
    private long count;

    Moments(BatchNorm norm) {
      float[] mean = null;
      float[] var = null;
      for (Parameter p : norm.getParameters().values()) {
        if (p.getType() == Parameter.Type.RUNNING_MEAN) {
          mean = p.getArray().toFloatArray();
        } else if (p.getType() == Parameter.Type.RUNNING_VAR) {
          var = p.getArray().toFloatArray();
        }
      }
      if (mean == null || var == null) {
        throw new IllegalStateException("a batch norm without running statistics");
      }
      runningMean = mean;
      runningVar = var;
      sum = new double[mean.length];
      sumSquares = new double[mean.length];
    }

    void add(NDArray input) {
      long channels = input.getShape().get(1);
      if (channels != sum.length) {
        throw new IllegalStateException(
            "batch norm of " + sum.length + " channels got " + channels);
      }
      // (N, C, ...) -> (C, N * ...): one row per channel
      NDArray rows = input.swapAxes(0, 1).reshape(channels, -1);
      float[] s = rows.sum(new int[] {1}).toFloatArray();
      float[] q = rows.square().sum(new int[] {1}).toFloatArray();
      for (int c = 0; c < sum.length; c++) {
        sum[c] += s[c];
        sumSquares[c] += q[c];
      }
      count += rows.getShape().get(1);
    }

    ProbeResults.FeatureStats stats(int samples) {
      double shift = 0;
      double logRatio = 0;
      int used = 0;
      for (int c = 0; c < sum.length; c++) {
        double mean = sum[c] / count;
        double var = sumSquares[c] / count - mean * mean;
        if (runningVar[c] < MIN_VARIANCE || var < MIN_VARIANCE) {
          continue;
        }
        double d = mean - runningMean[c];
        shift += d * d / runningVar[c];
        logRatio += Math.abs(Math.log(var / runningVar[c]));
        used++;
      }
      if (used == 0) {
        return null;
      }
      return new ProbeResults.FeatureStats(
          used, samples, Math.sqrt(shift / used), Math.exp(logRatio / used));
    }
  }
}
