package io.tunelab.diagnosis;

/**
 * A model's predictions on every validation image at the end of one epoch: the raw material for
 * noise bands (binomial for accuracy, bootstrap for loss) and calibration (ECE).
 *
 * @param epoch the epoch (0 = before training)
 * @param labels true label per image
 * @param predicted predicted label per image
 * @param confidence probability of the predicted label per image
 * @param loss cross-entropy per image
 */
public record EpochPredictions(
    int epoch, int[] labels, int[] predicted, float[] confidence, float[] loss) {
  public EpochPredictions {
    int n = labels.length;
    if (predicted.length != n || confidence.length != n || loss.length != n) {
      throw new IllegalArgumentException("epoch " + epoch + ": arrays differ in length");
    }
  }

  public int size() {
    return labels.length;
  }
}
