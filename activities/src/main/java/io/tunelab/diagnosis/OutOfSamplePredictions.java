package io.tunelab.diagnosis;

/**
 * Predictions on training images by models that did not train on them (k-fold or a held-out
 * fold): the evidence for label noise in the confident-learning style.
 *
 * @param paths source path of each training image (for naming examples)
 * @param labels given label of each image
 * @param probabilities out-of-sample class probabilities, one row per image
 */
public record OutOfSamplePredictions(String[] paths, int[] labels, float[][] probabilities) {
  public OutOfSamplePredictions {
    if (paths.length != labels.length || labels.length != probabilities.length) {
      throw new IllegalArgumentException("paths, labels and probabilities differ in length");
    }
  }
}
