package io.tunelab.diagnosis;

import java.util.List;

/**
 * Results of the short extra experiments a diagnosis can run. Any field may be {@code null} when
 * the probe did not run.
 *
 * @param learningCurve validation accuracy when training on fractions of the training data
 * @param linearProbeValAcc validation accuracy of a linear head on frozen pretrained features
 * @param lrRange losses of a short learning-rate range test, in increasing learning rate
 * @param sourceAccBefore the pretrained model's accuracy on its own source test split
 * @param sourceAccAfter the same after fine-tuning (backbone of the fine-tuned model, source head)
 */
public record ProbeResults(
    List<CurvePoint> learningCurve,
    Double linearProbeValAcc,
    List<LrPoint> lrRange,
    Double sourceAccBefore,
    Double sourceAccAfter) {

  /** Validation accuracy after training on a fraction of the training data. */
  public record CurvePoint(double fraction, int trainImages, double valAcc) {}

  /** Training loss after a few steps at a learning rate. */
  public record LrPoint(double lr, double loss) {}
}
