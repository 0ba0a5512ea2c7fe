package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.tunelab.dataset.LabeledImages;

/**
 * Runs a {@link Network} in inference mode (no dropout, batch-norm running statistics) over a whole
 * split in fixed batches of {@link Network#EVAL_BATCH}, without augmentation, with libtorch's
 * autograd off for the calling thread meanwhile. (DJL turns it off only on the thread that started
 * the engine; on any other thread, such as a Temporal activity's, it would record every operation,
 * and refuse a TorchScript module's inference output.)
 */
final class Predictor {
  private Predictor() {}

  /** The network's outputs for every image of the split. */
  static ModelOutputs predict(Network network, NDManager manager, LabeledImages split) {
    return withoutGrad(() -> predictWithoutGrad(network, manager, split));
  }

  /** Runs {@code work} with libtorch's autograd off for the calling thread. */
  static <T> T withoutGrad(java.util.function.Supplier<T> work) {
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return work.get();
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  /** The input tensor of samples {@code [from, to)} of a split, unaugmented, in split order. */
  static NDArray inputs(NDManager manager, Network network, LabeledImages split, int from, int to) {
    return Inputs.images(
        manager,
        new SampleBatch(
            split, null, from, to, network.inputShape(), network.normalization(), null, 0, 0));
  }

  private static ModelOutputs predictWithoutGrad(
      Network network, NDManager manager, LabeledImages split) {
    int numClasses = network.numClasses();
    int n = split.size();
    int[] predicted = new int[n];
    float[] confidence = new float[n];
    float[] exampleLoss = new float[n];
    float[] probabilities = new float[n * numClasses];
    double lossSum = 0;
    int correct = 0;
    ParameterStore store = new ParameterStore(manager, false);
    for (int from = 0; from < n; from += Network.EVAL_BATCH) {
      int to = Math.min(n, from + Network.EVAL_BATCH);
      try (NDManager batch = manager.newSubManager()) {
        NDArray x = inputs(batch, network, split, from, to);
        NDArray logits = network.block().forward(store, new NDList(x), false).singletonOrThrow();
        float[] logp = logits.logSoftmax(1).toFloatArray();
        for (int k = 0; k < to - from; k++) {
          int base = k * numClasses;
          int best = 0;
          for (int j = 1; j < numClasses; j++) {
            if (logp[base + j] > logp[base + best]) {
              best = j;
            }
          }
          int i = from + k;
          for (int j = 0; j < numClasses; j++) {
            probabilities[i * numClasses + j] = (float) Math.exp(logp[base + j]);
          }
          int label = split.label(i);
          if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException(
                "label " + label + " of image " + i + " is outside 0.." + (numClasses - 1));
          }
          predicted[i] = best;
          confidence[i] = (float) Math.exp(logp[base + best]);
          exampleLoss[i] = -logp[base + label];
          lossSum += exampleLoss[i];
          if (best == label) {
            correct++;
          }
        }
      }
    }
    return new ModelOutputs(
        n == 0 ? Double.NaN : lossSum / n,
        n == 0 ? Double.NaN : (double) correct / n,
        predicted,
        confidence,
        exampleLoss,
        probabilities);
  }
}
