package io.tunelab.diagnosis;

import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a run's curves and data summary and names what is wrong, with the numbers that show
 * it and what to do. Rules here are the first, threshold-based generation; each finding's
 * evidence states the numbers the rule used.
 */
public final class Diagnoser {
  private static final double IMBALANCE_RATIO = 3.0;
  private static final int FEW_IMAGES_PER_CLASS = 30;
  private static final double RISE = 1.05;

  /** The findings for a run; {@code healthy} alone when no rule fires. */
  public List<Finding> diagnose(DiagnosisInput input) {
    return diagnose(input.state());
  }

  /** The findings from the run's state alone. */
  public List<Finding> diagnose(RunState state) {
    List<Finding> findings = new ArrayList<>();
    if (state.dataset() != null) {
      data(state.dataset(), findings);
    }
    for (ArmResult arm : state.arms().values()) {
      curves(arm, findings);
    }
    Comparison c = state.comparison();
    if (c != null && !"finetune".equals(c.winner())) {
      findings.add(new Finding("finetune-no-better-than-scratch", "warning", "finetune",
          "Fine-tuning is no better than training from scratch",
          String.format(Locale.ROOT, "test accuracy delta %+.3f; McNemar p=%.3g on %d vs %d "
              + "discordant test images", c.testAccDelta(), c.pValue(), c.finetuneOnlyCorrect(),
              c.scratchOnlyCorrect()),
          "Check that the pretrained model's source data resembles the target data; try a lower "
              + "fine-tune learning rate with a frozen backbone first, or a larger pretrained model."));
    }
    if (findings.isEmpty()) {
      findings.add(new Finding("healthy", "info", "data", "Nothing to worry about",
          "no rule fired on the data summary or on any arm's curves",
          "Keep the best checkpoint; more data or epochs may still help."));
    }
    return findings;
  }

  private static void data(DatasetRef dataset, List<Finding> findings) {
    Map<String, Integer> train = dataset.counts().getOrDefault("train", Map.of());
    if (!train.isEmpty()) {
      int max = train.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      int min = train.values().stream().mapToInt(Integer::intValue).min().orElse(0);
      if (min > 0 && max / (double) min >= IMBALANCE_RATIO) {
        findings.add(new Finding("class-imbalance", "warning", "data",
            "Training classes are strongly unequal in size",
            String.format(Locale.ROOT, "largest class %d images, smallest %d (ratio %.1f); counts %s",
                max, min, max / (double) min, train),
            "Use class-weighted loss or resample the small classes; judge by per-class accuracy."));
      }
      if (min < FEW_IMAGES_PER_CLASS) {
        findings.add(new Finding("insufficient-data", "warning", "data",
            "Too few training images per class",
            "smallest class has " + min + " training images (< " + FEW_IMAGES_PER_CLASS + ")",
            "Collect more images, use stronger augmentation, or freeze the backbone."));
      }
    }
    if (dataset.duplicatesAcrossSplits() > 0) {
      findings.add(new Finding("train-val-leakage", "critical", "data",
          "Identical images appear in more than one split",
          dataset.duplicatesAcrossSplits() + " images appear in more than one split",
          "Remove the duplicates so validation and test measure generalisation, not memory."));
    }
  }

  private static void curves(ArmResult arm, List<Finding> findings) {
    String armName = "pretrain".equals(arm.arm()) ? "scratch" : arm.arm();
    List<EpochMetrics> epochs = arm.epochs().stream().filter(m -> m.epoch() >= 1).toList();
    if (epochs.isEmpty()) {
      return;
    }
    EpochMetrics last = epochs.get(epochs.size() - 1);
    if (last.diverged()) {
      findings.add(new Finding("lr-too-high", "critical", armName,
          "Loss diverged to NaN or infinity",
          "epoch " + last.epoch() + ": train loss " + last.trainLoss() + ", val loss " + last.valLoss()
              + " at learning rate " + last.lr(),
          String.format(Locale.ROOT, "Lower the learning rate about tenfold (try %.2g).", last.lr() / 10)));
      return;
    }
    int best = 0;
    for (int i = 1; i < epochs.size(); i++) {
      if (epochs.get(i).valLoss() < epochs.get(best).valLoss()) {
        best = i;
      }
    }
    int after = epochs.size() - 1 - best;
    EpochMetrics min = epochs.get(best);
    boolean trainFalling = last.trainLoss() < min.trainLoss();
    if (after >= 2 && last.valLoss() > min.valLoss() * RISE && trainFalling) {
      if (best == 0 && "finetune".equals(arm.arm())) {
        findings.add(new Finding("low-initial-rising-val-loss", "warning", "finetune",
            "Validation loss is lowest at the start and rises as fine-tuning goes on",
            String.format(Locale.ROOT, "val loss %.4f at epoch %d rising to %.4f at epoch %d "
                + "while train loss fell from %.4f to %.4f", min.valLoss(), min.epoch(),
                last.valLoss(), last.epoch(), min.trainLoss(), last.trainLoss()),
            "The pretrained features already fit; fine-tune with a 10x lower learning rate, freeze "
                + "the backbone, and stop early on validation loss."));
      } else {
        findings.add(new Finding("overfitting", "warning", armName,
            "Validation loss rises after its minimum while training loss keeps falling",
            String.format(Locale.ROOT, "val loss minimum %.4f at epoch %d, %.4f at epoch %d (%+.0f%%); "
                + "train loss %.4f -> %.4f", min.valLoss(), min.epoch(), last.valLoss(), last.epoch(),
                100 * (last.valLoss() / min.valLoss() - 1), min.trainLoss(), last.trainLoss()),
            "Stop early (the best checkpoint, epoch " + min.epoch() + ", is kept), add augmentation, "
                + "weight decay or dropout."));
      }
    }
  }
}
