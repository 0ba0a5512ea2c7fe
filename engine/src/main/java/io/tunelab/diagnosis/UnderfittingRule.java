package io.tunelab.diagnosis;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import java.util.List;

/**
 * {@code underfitting}: after at least two trained epochs the final training loss is still at least
 * {@value #LOSS_OF_GUESSING} of ln(classes) (the loss of a uniform guess), or the final training
 * accuracy is within {@value #ACC_ABOVE_CHANCE} of the way from chance to 1. Diverged arms are left
 * to {@link LearningRateRule}; where that rule finds the rate too high, the advice is to lower it,
 * not the usual raise-the-rate.
 */
final class UnderfittingRule implements Rule {
  static final double LOSS_OF_GUESSING = 0.75;
  static final double ACC_ABOVE_CHANCE = 0.25;

  /** Relative drop of training loss per epoch above which training is "still falling". */
  static final double STILL_FALLING = 0.05;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    if (context.numClasses < 2) {
      return;
    }
    double lnK = Math.log(context.numClasses);
    double chance = context.chance();
    // On a tiny training split a few steps per epoch are no test of fitting (insufficient-data
    // says what matters there).
    if (context.tinyTrainingSplit()) {
      return;
    }
    double noisyFloor = noisyLabelFloor(context, findings);
    double lossLimit = noisyFloor + LOSS_OF_GUESSING * (lnK - noisyFloor);
    for (ArmView arm : context.arms) {
      List<EpochMetrics> trained = arm.trained();
      if (trained.size() < 2 || LearningRateRule.diverged(arm)) {
        continue;
      }
      EpochMetrics last = trained.get(trained.size() - 1);
      boolean highLoss = last.trainLoss() >= lossLimit;
      double accLimit = chance + ACC_ABOVE_CHANCE * (1 - chance);
      boolean lowAcc = last.trainAcc() <= accLimit;
      if (!highLoss && !lowAcc) {
        continue;
      }
      List<EpochMetrics> recent = trained.subList(Math.max(0, trained.size() - 3), trained.size());
      double slope = Curves.slope(recent, EpochMetrics::trainLoss);
      boolean stillFalling = last.trainLoss() > 0 && slope < -STILL_FALLING * last.trainLoss();
      String evidence =
          "after "
              + trained.size()
              + " epochs, train loss "
              + Fmt.loss(last.trainLoss())
              + " at epoch "
              + last.epoch()
              + " is "
              + Fmt.pct(last.trainLoss() / lnK)
              + " of ln("
              + context.numClasses
              + ") = "
              + Fmt.loss(lnK)
              + " (the loss of guessing"
              + (highLoss ? "; limit " + Fmt.pct(lossLimit / lnK) : "")
              + (noisyFloor > 0
                  ? ", raised from "
                      + Fmt.pct(LOSS_OF_GUESSING)
                      + " because mislabelled "
                      + context.samples.many
                      + " keep even a good fit's loss at "
                      + Fmt.loss(noisyFloor)
                      + " (see label-noise)"
                  : "")
              + "); train accuracy "
              + Fmt.acc(last.trainAcc())
              + " vs chance "
              + Fmt.acc(chance)
              + (lowAcc ? " (≤ " + Fmt.acc(accLimit) + ")" : "")
              + "; train loss slope "
              + Fmt.signed(slope, 4)
              + "/epoch over the last "
              + recent.size()
              + " epochs";
      double lr = last.lr();
      String lower = LearningRateRule.lowerRateAdvice(arm, context);
      if (lower != null) {
        // Raising the rate would contradict lr-too-high: overshooting steps are why it does not
        // fit.
        findings.add(
            finding(
                arm,
                evidence,
                "The model does not fit even its training "
                    + arm.samples().many
                    + " because its learning rate is too high (see lr-too-high): steps that overshoot keep it from settling and can "
                    + "leave its units dead, stuck near chance. "
                    + lower
                    + " first; if it still "
                    + "underfits then, train longer or use a bigger model ("
                    + bigger(arm)
                    + "), and check that labels match the "
                    + arm.samples().many
                    + "."));
        continue;
      }
      StringBuilder rec =
          new StringBuilder("The model does not fit even its training ")
              .append(arm.samples().many)
              .append(". ");
      if (stillFalling) {
        rec.append("Train longer (--epochs ")
            .append(2 * last.epoch())
            .append("): the training loss still falls ")
            .append(Fmt.pct(-slope / last.trainLoss()))
            .append(" per epoch. ");
      }
      rec.append("Raise the learning rate (")
          .append(arm.lrFlag())
          .append(lr > 0 ? " " + Fmt.lr(3 * lr) : " ×3")
          .append(")");
      if (arm.isFinetune()) {
        rec.append(", unfreeze the backbone (--freeze none or gradual)");
      }
      rec.append(
              arm.samples() == Samples.ROWS
                  ? ", lighten regularisation (--dropout, --l2)"
                  : ", lighten augmentation (--augment light)")
          .append(" or use a bigger model (")
          .append(bigger(arm))
          .append("); if nothing helps, check that labels match the ")
          .append(arm.samples().many)
          .append(".");
      findings.add(finding(arm, evidence, rec.toString()));
    }
  }

  /** A bigger model for the arm's kind of data, in words. */
  private static String bigger(ArmView arm) {
    return switch (arm.samples()) {
      case ROWS ->
          "wider or more hidden layers, e.g. tunelab pretrain --model mlp --hidden 256,128";
      case CLIPS -> "c3d on longer stacks or larger frames, e.g. --clip-frames 16 --frame-size 48";
      case IMAGES -> "tunelab pretrain --model resnet18";
    };
  }

  private static Finding finding(ArmView arm, String evidence, String recommendation) {
    return new Finding(
        "underfitting",
        "warning",
        arm.findingArm(),
        "Training loss stays high: the model underfits",
        evidence,
        recommendation);
  }

  /**
   * The training loss a model that fits the clean labels still pays on noisy ones, when label-noise
   * was found: the entropy of the labels given the truth, H(ε) + ε ln(K − 1) for a fraction ε
   * spread over the other classes (0.91 nats for 25% on five classes). The loss limit of
   * underfitting starts from there instead of 0, or every noisy dataset would also underfit.
   */
  static double noisyLabelFloor(DiagnosisContext context, List<Finding> findings) {
    OutOfSamplePredictions oos = context.input.outOfSample();
    if (oos == null || findings.stream().noneMatch(f -> "label-noise".equals(f.code()))) {
      return 0;
    }
    double e = context.confidentLearning().estimatedNoiseFraction();
    if (!(e > 0 && e < 1)) {
      return 0;
    }
    return -e * Math.log(e) - (1 - e) * Math.log(1 - e) + e * Math.log(context.numClasses - 1);
  }
}
