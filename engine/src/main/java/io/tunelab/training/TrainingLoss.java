package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy for training, with optional label smoothing and class weights. With neither
 * it equals DJL's {@code softmaxCrossEntropyLoss}. Validation and test losses stay plain
 * cross-entropy (see {@link Network#predict}), so curves remain comparable across settings.
 *
 * <p>Per image: {@code -sum_j q_j log p_j} with {@code q = (1 - e) onehot(y) + e / K}; with class
 * weights {@code w}, the batch loss is {@code sum_i w_yi l_i / sum_i w_yi}, as PyTorch's weighted
 * mean.
 */
public final class TrainingLoss extends Loss {
  private final int numClasses;
  private final float smoothing;
  private final float[] classWeights;

  /**
   * @param numClasses number of classes
   * @param smoothing label smoothing in [0, 1)
   * @param classWeights one weight per class, or {@code null} for none
   */
  public TrainingLoss(int numClasses, double smoothing, float[] classWeights) {
    super("TrainingLoss");
    if (classWeights != null && classWeights.length != numClasses) {
      throw new IllegalArgumentException(
          "need " + numClasses + " class weights, got " + classWeights.length);
    }
    this.numClasses = numClasses;
    this.smoothing = (float) smoothing;
    this.classWeights = classWeights == null ? null : classWeights.clone();
  }

  /**
   * Inverse-frequency weights {@code n / (K n_c)} from training labels; a class with no image gets
   * weight 0.
   */
  public static float[] inverseFrequency(int[] labels, int numClasses) {
    int[] counts = new int[numClasses];
    for (int label : labels) {
      counts[label]++;
    }
    float[] weights = new float[numClasses];
    for (int c = 0; c < numClasses; c++) {
      weights[c] = counts[c] == 0 ? 0f : (float) labels.length / (numClasses * counts[c]);
    }
    return weights;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logp = predictions.singletonOrThrow().logSoftmax(1);
    NDArray onehot =
        labels
            .singletonOrThrow()
            .toType(DataType.INT32, false)
            .oneHot(numClasses)
            .toType(logp.getDataType(), false);
    NDArray target =
        smoothing == 0 ? onehot : onehot.mul(1 - smoothing).add(smoothing / numClasses);
    NDArray perImage = target.mul(logp).sum(new int[] {1}).neg();
    if (classWeights == null) {
      return perImage.mean();
    }
    NDArray w =
        onehot
            .mul(logp.getManager().create(classWeights).toType(logp.getDataType(), false))
            .sum(new int[] {1});
    return perImage.mul(w).sum().div(w.sum());
  }
}
