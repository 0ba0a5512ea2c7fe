package io.tunelab.diagnosis;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.EpochMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One arm as the rules see it: its metrics in epoch order, the epochs with finite losses, its
 * validation predictions by epoch and its noise bands.
 *
 * @param name the arm
 * @param findingArm the arm named in findings ({@code pretrain} reads {@code scratch})
 * @param result the arm's state
 * @param epochs every trained epoch's row (epoch ≥ 1), in epoch order
 * @param finite the rows whose train and validation losses are finite
 * @param start epoch 0, the model the arm started from evaluated before its first step, or {@code
 *     null} (only a fine-tune whose head was reused for every class has one); kept apart from the
 *     trained epochs, which every rule but {@link OverfittingRule}'s start reads
 * @param predictions epoch to validation predictions (epoch 0's included)
 * @param band the arm's noise bands
 * @param samples what the evidence calls the samples
 */
record ArmView(
    Arm name,
    String findingArm,
    ArmResult result,
    List<EpochMetrics> epochs,
    List<EpochMetrics> finite,
    EpochMetrics start,
    Map<Integer, EpochPredictions> predictions,
    NoiseBand band,
    Samples samples) {

  static ArmView of(
      ArmResult arm, List<EpochPredictions> predictions, int validationSize, Samples samples) {
    List<EpochMetrics> epochs = new ArrayList<>(arm.epochs());
    epochs.sort(Comparator.comparingInt(EpochMetrics::epoch));
    EpochMetrics start =
        epochs.stream().filter(m -> m.epoch() == 0 && !m.diverged()).findFirst().orElse(null);
    epochs.removeIf(m -> m.epoch() < 1);
    List<EpochMetrics> finite = epochs.stream().filter(m -> !m.diverged()).toList();
    Map<Integer, EpochPredictions> byEpoch = new java.util.TreeMap<>();
    if (predictions != null) {
      for (EpochPredictions p : predictions) {
        byEpoch.put(p.epoch(), p);
      }
    }
    return new ArmView(
        arm.arm(),
        findingArm(arm.arm()),
        arm,
        List.copyOf(epochs),
        finite,
        start,
        byEpoch,
        new NoiseBand(validationSize, byEpoch, samples),
        samples);
  }

  /** The arm named in findings: {@code finetune} stays, everything else is {@code scratch}. */
  static String findingArm(Arm arm) {
    return (arm == Arm.FINETUNE ? Arm.FINETUNE : Arm.SCRATCH).wire();
  }

  boolean isFinetune() {
    return name == Arm.FINETUNE;
  }

  /** The trained epochs (epoch ≥ 1) with finite losses. */
  List<EpochMetrics> trained() {
    return finite.stream().filter(m -> m.epoch() >= 1).toList();
  }

  /** The flag that sets this arm's learning rate, in words. */
  String lrFlag() {
    return switch (name) {
      case FINETUNE -> "--lr";
      case SCRATCH -> "--scratch-lr";
      case PRETRAIN -> "--lr (of tunelab " + name + ")";
    };
  }

  /** The finite epoch with the lowest validation loss (first on ties), or {@code null}. */
  EpochMetrics minValLoss() {
    EpochMetrics best = null;
    for (EpochMetrics m : finite) {
      if (best == null || m.valLoss() < best.valLoss()) {
        best = m;
      }
    }
    return best;
  }

  /** The finite epoch with the highest validation accuracy (first on ties), or {@code null}. */
  EpochMetrics maxValAcc() {
    EpochMetrics best = null;
    for (EpochMetrics m : trained()) {
      if (best == null || m.valAcc() > best.valAcc()) {
        best = m;
      }
    }
    return best;
  }
}
