package io.tunelab.diagnosis;

import io.tunelab.dataset.DatasetProfile;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every rule reads, worked out once from a {@link DiagnosisInput}: class names, counts per
 * split in label order (from the run's dataset summary, else the profile), the validation size and
 * a view of every arm.
 */
final class DiagnosisContext {
  final DiagnosisInput input;
  final RunState state;
  final DatasetProfile profile;
  final List<String> classes;
  final int numClasses;
  final Map<String, Integer> trainCounts;
  final Map<String, Integer> valCounts;
  final Map<String, Integer> testCounts;
  final int validationSize;
  final List<ArmView> arms;

  /** What the evidence calls the samples: images, or a table's rows. */
  final Samples samples;

  private final Map<Arm, java.util.Optional<Finding>> overconfidence = new java.util.HashMap<>();

  private ConfidentLearning.Result confidentLearning;

  DiagnosisContext(DiagnosisInput input) {
    this.input = input;
    this.state = input.state();
    this.profile = input.profile();
    DatasetRef dataset = state.dataset();
    List<String> names =
        dataset != null
            ? dataset.classes()
            : profile != null && profile.classes() != null ? profile.classes() : List.of();
    this.classes = List.copyOf(names);
    this.trainCounts = counts("train");
    this.valCounts = counts("val");
    this.testCounts = counts("test");
    int val = valCounts.values().stream().mapToInt(Integer::intValue).sum();
    this.validationSize = val;
    this.samples =
        Samples.of(
            dataset != null && dataset.shape() != null
                ? dataset.shape()
                : profile != null ? profile.shape() : null);
    this.numClasses = classes.size() >= 2 ? classes.size() : inferClasses(input);
    List<ArmView> views = new ArrayList<>();
    for (ArmResult arm : state.arms().values()) {
      List<EpochPredictions> predictions = input.validation().get(arm.arm().wire());
      if (predictions == null) {
        predictions = input.validation().get(ArmView.findingArm(arm.arm()));
      }
      views.add(ArmView.of(arm, predictions, val, samples));
    }
    this.arms = List.copyOf(views);
  }

  /**
   * The arm's overconfidence finding ({@link CalibrationRule#check}), worked out once: the
   * overfitting rule asks for it too, and its bootstrap is the costliest check of a diagnosis.
   */
  Finding overconfidence(ArmView arm) {
    return overconfidence
        .computeIfAbsent(arm.name(), k -> java.util.Optional.ofNullable(CalibrationRule.check(arm)))
        .orElse(null);
  }

  /**
   * The confident-learning analysis of the out-of-sample predictions, worked out once for the rules
   * that read it (label-noise, underfitting, class-imbalance); {@code null} without them.
   */
  ConfidentLearning.Result confidentLearning() {
    if (confidentLearning == null && input.outOfSample() != null) {
      confidentLearning = ConfidentLearning.analyse(input.outOfSample(), numClasses);
    }
    return confidentLearning;
  }

  /** The number of training samples (0 when the dataset does not say). */
  int trainSamples() {
    return trainCounts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Whether the training split is under {@value LearningRateRule#TINY_TRAIN} samples: an epoch is
   * then a step or two, and its means swing with those steps.
   */
  boolean tinyTrainingSplit() {
    int n = trainSamples();
    return n > 0 && n < LearningRateRule.TINY_TRAIN;
  }

  /**
   * Whether {@code lr-too-high} found the arm diverged (critical): its curves after that say how it
   * blew up, not whether it overfits, fluctuates or is overconfident, so those rules pass it by.
   */
  static boolean diverged(List<Finding> findings, ArmView arm) {
    return findings.stream()
        .anyMatch(
            f ->
                "lr-too-high".equals(f.code())
                    && "critical".equals(f.severity())
                    && f.arm().equals(arm.findingArm()));
  }

  /** The arm whose findings are reported as {@code findingArm}, or {@code null}. */
  ArmView arm(Arm findingArm) {
    return arms.stream()
        .filter(a -> a.findingArm().equals(findingArm.wire()))
        .findFirst()
        .orElse(null);
  }

  /** The name of a class by label, or the label itself when names are unknown. */
  String className(int label) {
    return label >= 0 && label < classes.size() ? classes.get(label) : String.valueOf(label);
  }

  /** Chance accuracy (1 / classes), or NaN when the number of classes is unknown. */
  double chance() {
    return numClasses >= 2 ? 1.0 / numClasses : Double.NaN;
  }

  private Map<String, Integer> counts(String split) {
    Map<String, Integer> fromState =
        state.dataset() != null ? state.dataset().counts().get(split) : null;
    Map<String, Integer> raw =
        fromState != null
            ? fromState
            : profile != null && profile.counts() != null ? profile.counts().get(split) : null;
    if (raw == null) {
      return Map.of();
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    for (String c : classes) {
      ordered.put(c, raw.getOrDefault(c, 0));
    }
    raw.keySet().stream().sorted().forEach(c -> ordered.putIfAbsent(c, raw.get(c)));
    return ordered;
  }

  private static int inferClasses(DiagnosisInput input) {
    int k = 0;
    for (List<EpochPredictions> list : input.validation().values()) {
      for (EpochPredictions p : list) {
        for (int i = 0; i < p.size(); i++) {
          k = Math.max(k, Math.max(p.labels()[i], p.predicted()[i]) + 1);
        }
      }
    }
    OutOfSamplePredictions oos = input.outOfSample();
    if (oos != null) {
      for (float[] row : oos.probabilities()) {
        k = Math.max(k, row.length);
      }
    }
    return k >= 2 ? k : 0;
  }
}
