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
    for (ArmView arm : context.arms) {
      List<EpochMetrics> trained = arm.trained();
      if (trained.size() < 2 || LearningRateRule.diverged(arm)) {
        continue;
      }
      EpochMetrics last = trained.get(trained.size() - 1);
      boolean highLoss = last.trainLoss() >= LOSS_OF_GUESSING * lnK;
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
              + (highLoss ? "; limit " + Fmt.pct(LOSS_OF_GUESSING) : "")
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
}
