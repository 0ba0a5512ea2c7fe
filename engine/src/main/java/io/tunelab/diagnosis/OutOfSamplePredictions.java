package io.tunelab.diagnosis;

/**
 * Predictions on training images by models that did not train on them (k-fold or a held-out fold):
 * the evidence for label noise in the confident-learning style.
 *
 * @param paths source path of each training image (for naming examples)
 * @param labels given label of each image
 * @param probabilities out-of-sample class probabilities, one row per image
 * @param valErrorRate the same held-out models' mean error rate on the validation images, or {@code
 *     null} when not measured (files written before it was): with i.i.d. splits a held-out model
 *     errs as often on training images as on validation images unless the training labels are the
 *     worse ones
 * @param valImages validation images behind {@code valErrorRate} (0 when not measured)
 */
public record OutOfSamplePredictions(
    String[] paths, int[] labels, float[][] probabilities, Double valErrorRate, int valImages) {
  public OutOfSamplePredictions {
    if (paths.length != labels.length || labels.length != probabilities.length) {
      throw new IllegalArgumentException("paths, labels and probabilities differ in length");
    }
    if (valErrorRate != null && (valErrorRate < 0 || valErrorRate > 1 || valImages <= 0)) {
      throw new IllegalArgumentException(
          "validation error rate must be in [0, 1] over > 0 "
              + "images: "
              + valErrorRate
              + " over "
              + valImages);
    }
  }

  /** Predictions without the held-out models' validation error. */
  public OutOfSamplePredictions(String[] paths, int[] labels, float[][] probabilities) {
    this(paths, labels, probabilities, null, 0);
  }
}
