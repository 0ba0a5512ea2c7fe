package io.tunelab.training;

/**
 * What a model outputs for every image of a split in inference mode: loss, accuracy and class
 * probabilities, kept in memory for the epoch's metrics and the probes. The per-image predictions
 * stored for comparing arms are {@code evaluation.Predictions}.
 *
 * @param loss mean softmax cross-entropy per image
 * @param acc fraction of images whose top class is the label
 * @param predicted the top class of each image
 * @param confidence the softmax probability of the top class of each image
 * @param exampleLoss the cross-entropy of each image
 * @param probabilities the softmax probabilities of every class for every image, row-major (image
 *     {@code i}, class {@code j} at {@code i * numClasses + j})
 */
public record ModelOutputs(
    double loss,
    double acc,
    int[] predicted,
    float[] confidence,
    float[] exampleLoss,
    float[] probabilities) {

  /** The class probabilities of one image. */
  public float[] probabilities(int image) {
    int k = probabilities.length / predicted.length;
    float[] row = new float[k];
    System.arraycopy(probabilities, image * k, row, 0, k);
    return row;
  }
}
