package io.tunelab.evaluation;

/**
 * Per-image predictions of one checkpoint on one split, stored so that arms can be compared image
 * by image.
 *
 * @param labels true labels
 * @param predicted predicted labels
 * @param confidence probability of the predicted label
 */
public record Predictions(int[] labels, int[] predicted, float[] confidence) {
  public Predictions {
    if (labels.length != predicted.length || labels.length != confidence.length) {
      throw new IllegalArgumentException(
          "labels, predictions and confidences differ in length: "
              + labels.length
              + ", "
              + predicted.length
              + ", "
              + confidence.length);
    }
  }

  /** Whether image {@code i} was classified correctly. */
  public boolean correct(int i) {
    return labels[i] == predicted[i];
  }

  public int size() {
    return labels.length;
  }
}
