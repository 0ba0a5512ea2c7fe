package io.tunelab.diagnosis;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import java.util.Comparator;
import java.util.List;

/**
 * {@code overfitting} and {@code low-initial-rising-val-loss}: validation loss rises beyond the 95%
 * noise band of its minimum for at least two later epochs, the last one included (see {@link
 * Curves.Rise}).
 *
 * <ul>
 *   <li>Fine-tune arm with its minimum at the start ({@link #startEpochs}): {@code
 *       low-initial-rising-val-loss}. The head of a fine-tune arm is new, so its first epoch or two
 *       train the head on the pretrained features; in longer runs a minimum at epoch 2 or 3 is
 *       still the pretrained features at their best.
 *   <li>When training loss keeps falling after the minimum (lower at the end, negative
 *       least-squares slope): {@code overfitting}, with the onset epoch — except for a fine-tune
 *       minimum at epoch 0 or 1, which is only the first. A fine-tune minimum at epoch 2 or 3 of a
 *       long run gets both: either reading holds.
 * </ul>
 *
 * Neither fires when validation accuracy rose beyond its own noise over the same epochs and {@link
 * CalibrationRule} reports overconfidence: the rising loss is then a calibration effect, not a loss
 * of generalisation. Both are warnings when the last epoch's rise is beyond {@value
 * Strength#CLEAR}× its threshold (its noise or 5% of the minimum, the larger), info within that.
 *
 * <p>A fine-tune that starts from a model predicting its classes (head reused for every class) has
 * an epoch 0: when that start beats every trained epoch and they stay above it beyond noise, it is
 * {@code low-initial-rising-val-loss} whatever the trained epochs do among themselves.
 *
 * <p>An arm whose curve ends without such a rise may still have had one that recovered ({@link
 * Episode}: e.g. while a cosine schedule decayed the rate): {@code overfitting} as info, with its
 * epochs, what ended it and where an early stop would have cut the run.
 */
final class OverfittingRule implements Rule {
  /** The latest epoch that still counts as the start of fine-tuning, however long the run. */
  static final int MAX_START_EPOCH = 3;

  /**
   * The epochs of a fine-tune arm of {@code epochs} epochs that count as its start: epoch 1, and in
   * runs of 8 epochs or more the first quarter, at most up to epoch {@value #MAX_START_EPOCH} (on
   * 300 images with batch 4 to 32 the new head settled by epoch 3).
   */
  static int startEpochs(int epochs) {
    return Math.max(1, Math.min(MAX_START_EPOCH, epochs / 4));
  }

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    for (ArmView arm : context.arms) {
      if (DiagnosisContext.diverged(findings, arm)) {
        continue;
      }
      int before = findings.size();
      endState(arm, context, findings);
      if (findings.size() == before) {
        episode(arm, findings);
      }
    }
  }

  /** The findings of a rise that lasts to the last epoch. */
  private static void endState(ArmView arm, DiagnosisContext context, List<Finding> findings) {
    boolean fromStart = fromStart(arm, context, findings);
    Curves.Rise rise = Curves.Rise.of(arm);
    if (rise == null || !rise.sustained()) {
      return;
    }
    EpochMetrics min = rise.min();
    EpochMetrics last = rise.last();
    // A rise at the edge of its noise supports info at most (see Strength).
    String severity = rise.strength().severity("warning");
    double accBand = arm.band().acc(min);
    double dAcc = last.valAcc() - min.valAcc();
    if (dAcc > accBand && context.overconfidence(arm) != null) {
      return;
    }
    double trainSlope = Curves.slope(rise.after(), EpochMetrics::trainLoss);
    String train =
        "train loss "
            + Fmt.loss(min.trainLoss())
            + " → "
            + Fmt.loss(last.trainLoss())
            + " (slope "
            + Fmt.signed(trainSlope, 4)
            + "/epoch)";
    String acc =
        "val accuracy "
            + Fmt.acc(min.valAcc())
            + " → "
            + Fmt.acc(last.valAcc())
            + " (± "
            + Fmt.acc(accBand)
            + ")";
    boolean atStart = !fromStart && arm.isFinetune() && min.epoch() <= startEpochs(last.epoch());
    if (atStart) {
      findings.add(
          new Finding(
              "low-initial-rising-val-loss",
              severity,
              Arm.FINETUNE.wire(),
              "Validation loss is lowest at the start of fine-tuning and rises as it goes on",
              rise.describe() + "; " + train + "; " + acc + "; " + arm.band().describe(),
              "The pretrained features already fit the target and fine-tuning drags them away. "
                  + gently(min.lr() > 0 ? min.lr() : last.lr())
                  + "; the best checkpoint (epoch "
                  + min.epoch()
                  + ") is kept."));
    }
    boolean onlyTheStart = arm.isFinetune() && min.epoch() <= 1;
    String regularise = regularise(arm);
    if (!onlyTheStart && last.trainLoss() < min.trainLoss() && trainSlope < 0) {
      findings.add(
          new Finding(
              "overfitting",
              severity,
              arm.findingArm(),
              "Validation loss rises after its minimum while training loss keeps falling",
              "onset at epoch "
                  + rise.onset().epoch()
                  + ": "
                  + rise.describe()
                  + "; "
                  + train
                  + "; "
                  + acc
                  + "; "
                  + arm.band().describe(),
              "The model memorises the training "
                  + arm.samples().many
                  + " from about epoch "
                  + rise.onset().epoch()
                  + ". Keep the checkpoint of epoch "
                  + min.epoch()
                  + " (tunelab's best) and stop "
                  + "earlier (--early-stopping-patience 2); "
                  + regularise
                  + ", or add training data"
                  + (arm.isFinetune()
                      ? "; freezing the backbone (--freeze "
                          + "backbone) also limits what fine-tuning can memorise."
                      : ".")));
    }
  }

  /**
   * {@code low-initial-rising-val-loss} from epoch 0 ({@link Curves.Rise#fromStart}): the model the
   * fine-tune started from, the pretrained one with its head reused for every class, had a lower
   * validation loss than any trained epoch, and the trained epochs stay above it beyond noise. Says
   * whether it found it.
   */
  private static boolean fromStart(ArmView arm, DiagnosisContext context, List<Finding> findings) {
    Curves.Rise rise = Curves.Rise.fromStart(arm);
    if (rise == null || !rise.sustained()) {
      return false;
    }
    EpochMetrics start = rise.min();
    EpochMetrics last = rise.last();
    double accBand = arm.band().acc(start);
    if (last.valAcc() - start.valAcc() > accBand && context.overconfidence(arm) != null) {
      return false;
    }
    EpochMetrics best = arm.minValLoss();
    findings.add(
        new Finding(
            "low-initial-rising-val-loss",
            rise.strength().severity("warning"),
            Arm.FINETUNE.wire(),
            "Validation loss is lowest before fine-tuning and stays above it as fine-tuning goes on",
            "epoch 0 is the pretrained model, its head reused for every class, before any step; "
                + rise.describe()
                + "; the best fine-tuned epoch, "
                + best.epoch()
                + ", "
                + Fmt.loss(best.valLoss())
                + "; val accuracy "
                + Fmt.acc(start.valAcc())
                + " before → "
                + Fmt.acc(last.valAcc())
                + " (± "
                + Fmt.acc(accBand)
                + "); "
                + arm.band().describe(),
            "The pretrained model already fits the target better than fine-tuning leaves it: "
                + "fine-tuning drags its features away. "
                + gently(arm.finite().stream().mapToDouble(EpochMetrics::lr).max().orElse(0))
                + " — or use the pretrained model as it is. tunelab's "
                + "best checkpoint is the best fine-tuned epoch ("
                + best.epoch()
                + "), not the start."));
    return true;
  }

  /** How to fine-tune gently, from the rate {@code lr} in use (0: unknown), in words. */
  private static String gently(double lr) {
    String lower =
        lr > 0
            ? "--lr " + Fmt.lr(lr / 10) + " (a tenth of " + Fmt.lr(lr) + ")"
            : "a tenfold lower --lr";
    return "Fine-tune gently: "
        + lower
        + ", --freeze backbone (train the head only) or --freeze gradual, and "
        + "--early-stopping-patience 2";
  }

  /** How to regularise the arm's model, in words. */
  private static String regularise(ArmView arm) {
    // A table's rows are not augmented: the mlp's own regularisers stand in for augmentation.
    return arm.samples() == Samples.ROWS
        ? "regularise with --dropout 0.2 and --l2 1e-4"
        : "regularise with stronger augmentation (--augment standard or strong) and weight "
            + "decay (--weight-decay 5e-4)";
  }

  /**
   * An episode ({@link Episode}) of an arm whose curve ends without a rise: info, since it ended by
   * itself and the best checkpoint is kept, but worth knowing when the recipe changes (an early
   * stop inside it, a shorter schedule). The strongest one when there are several; only while
   * training loss fell over the rise (else it is no memorising).
   */
  private static void episode(ArmView arm, List<Finding> findings) {
    List<Episode> episodes =
        Episode.of(arm).stream().filter(e -> e.end().trainLoss() < e.min().trainLoss()).toList();
    Episode episode =
        episodes.stream()
            .max(Comparator.comparingDouble(e -> e.peakStrength().ratio()))
            .orElse(null);
    if (episode == null) {
      return;
    }
    List<String> others =
        episodes.stream()
            .filter(e -> e != episode)
            .map(e -> "epochs " + e.onset().epoch() + "–" + e.end().epoch())
            .toList();
    EpochMetrics best = arm.minValLoss();
    EpochMetrics min = episode.min();
    StringBuilder rec =
        new StringBuilder("Nothing to fix as it stands: the rise ended by itself")
            .append(episode.rateFell() ? " as the schedule lowered the learning rate" : "")
            .append(", and tunelab keeps the best checkpoint (epoch ")
            .append(best.epoch())
            .append(").");
    EpochMetrics lower =
        arm.finite().stream()
            .filter(m -> m.epoch() > min.epoch() && m.valLoss() < min.valLoss())
            .findFirst()
            .orElse(null);
    if (lower != null) {
      int patience = lower.epoch() - min.epoch();
      rec.append(
              " Early stopping would cut the run inside the rise: with --early-stopping-patience ")
          .append("below ")
          .append(patience)
          .append(" it stops by epoch ")
          .append(min.epoch() + patience - 1)
          .append(" and keeps epoch ")
          .append(min.epoch())
          .append(" (val loss ")
          .append(Fmt.loss(min.valLoss()))
          .append(") instead of epoch ")
          .append(best.epoch())
          .append(" (")
          .append(Fmt.loss(best.valLoss()))
          .append(").");
    }
    rec.append(" The rise is the model memorising the training ")
        .append(arm.samples().many)
        .append(episode.rateFell() ? " while the rate was high" : "")
        .append("; if it recurs or grows, lower the starting rate (")
        .append(arm.lrFlag())
        .append(") or ")
        .append(regularise(arm))
        .append(".");
    String ended = episode.endedBy();
    findings.add(
        new Finding(
            "overfitting",
            "info",
            arm.findingArm(),
            "Validation loss rose from epoch "
                + episode.onset().epoch()
                + " to "
                + episode.end().epoch()
                + " and recovered"
                + (ended.isEmpty() ? "" : " " + ended),
            episode.describe()
                + (others.isEmpty() ? "" : "; other such rises: " + String.join(", ", others))
                + "; a rise that recovers is info: the run ends without it; "
                + arm.band().describe(),
            rec.toString()));
  }
}
