package io.tunelab.diagnosis;

import io.tunelab.dataset.DatasetProfile;
import io.tunelab.dataset.DuplicatePair;
import io.tunelab.dataset.PixelStats;
import io.tunelab.dataset.SourceStats;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TestMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Synthetic runs, curves and predictions for the diagnosis tests. */
final class Fixtures {
  static final double LR = 0.01;

  private Fixtures() {}

  static List<String> classes(int k) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add("c" + i);
    }
    return names;
  }

  static Map<String, Integer> perClass(int k, int n) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String c : classes(k)) {
      m.put(c, n);
    }
    return m;
  }

  static DatasetRef dataset(Map<String, Integer> train, Map<String, Integer> val, int duplicates) {
    List<String> classes = new ArrayList<>(train.keySet());
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    counts.put("train", train);
    counts.put("val", val);
    counts.put("test", val);
    return new DatasetRef(
        "ingest",
        "m",
        "ingests/ingest/profile.json",
        Map.of("train", "t", "val", "v", "test", "s"),
        classes,
        SampleShape.image(1, 28, 28),
        counts,
        0,
        duplicates,
        null);
  }

  /** A balanced dataset of k classes. */
  static DatasetRef balanced(int k, int trainPerClass, int valPerClass) {
    return dataset(perClass(k, trainPerClass), perClass(k, valPerClass), 0);
  }

  static EpochMetrics e(
      int epoch, double trainLoss, double trainAcc, double valLoss, double valAcc) {
    return new EpochMetrics(epoch, trainLoss, trainAcc, valLoss, valAcc, LR, 1.0);
  }

  /** Epochs 1..n from parallel arrays. */
  static List<EpochMetrics> curve(
      double[] trainLoss, double[] trainAcc, double[] valLoss, double[] valAcc) {
    List<EpochMetrics> out = new ArrayList<>();
    for (int i = 0; i < valLoss.length; i++) {
      out.add(e(i + 1, trainLoss[i], trainAcc[i], valLoss[i], valAcc[i]));
    }
    return out;
  }

  /** A falling training loss from 1.2 by the given factor per epoch, accuracy rising. */
  static double[] falling(int n, double from, double factor) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = from * Math.pow(factor, i);
    }
    return v;
  }

  static double[] constant(int n, double value) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, value);
    return v;
  }

  static ArmResult arm(String name, List<EpochMetrics> epochs) {
    int best =
        epochs.stream()
            .filter(m -> !m.diverged())
            .min(java.util.Comparator.comparingDouble(EpochMetrics::valLoss))
            .map(EpochMetrics::epoch)
            .orElse(0);
    return new ArmResult(
        Arm.parse(name),
        RunStatus.COMPLETED,
        epochs,
        best,
        null,
        null,
        false,
        null,
        null,
        null,
        List.of());
  }

  static ArmResult arm(String name, List<EpochMetrics> epochs, double testAcc) {
    ArmResult a = arm(name, epochs);
    return new ArmResult(
        a.arm(),
        a.status(),
        a.epochs(),
        a.bestEpoch(),
        null,
        null,
        false,
        null,
        new TestMetrics(0.5, testAcc, "k"),
        null,
        List.of());
  }

  static RunState state(DatasetRef dataset, Comparison comparison, ArmResult... arms) {
    Map<String, ArmResult> map = new LinkedHashMap<>();
    for (ArmResult a : arms) {
      map.put(a.arm().wire(), a);
    }
    return new RunState(
        "run",
        "experiment",
        RunStatus.COMPLETED,
        "done",
        dataset,
        map,
        comparison,
        List.of(),
        null,
        null,
        null,
        null);
  }

  /** A healthy curve: both losses fall, accuracies rise, monotone. */
  static List<EpochMetrics> healthyCurve(int n) {
    List<EpochMetrics> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(
          e(
              i,
              1.0 / (i + 0.5),
              0.6 + 0.3 * (1 - 1.0 / i),
              0.9 / (i + 0.8) + 0.15,
              0.55 + 0.3 * (1 - 1.0 / i)));
    }
    return out;
  }

  /**
   * Validation predictions where every image has the same confidence {@code c} and a fraction
   * {@code acc} is right: ECE = |acc − c|; the loss of a right image is −ln c, of a wrong one
   * −ln((1 − c) / (k − 1)).
   */
  static EpochPredictions sameConfidence(int epoch, int n, int k, double acc, double c) {
    int[] labels = new int[n];
    int[] predicted = new int[n];
    float[] confidence = new float[n];
    float[] loss = new float[n];
    int right = (int) Math.round(acc * n);
    for (int i = 0; i < n; i++) {
      labels[i] = i % k;
      boolean ok = i < right;
      predicted[i] = ok ? labels[i] : (labels[i] + 1) % k;
      confidence[i] = (float) c;
      loss[i] = (float) (ok ? -Math.log(c) : -Math.log((1 - c) / (k - 1)));
    }
    return new EpochPredictions(epoch, labels, predicted, confidence, loss);
  }

  /** The metrics an epoch's predictions imply, with the given training loss and accuracy. */
  static EpochMetrics metrics(EpochPredictions p, double trainLoss, double trainAcc) {
    double loss = 0;
    double right = 0;
    for (int i = 0; i < p.size(); i++) {
      loss += p.loss()[i];
      right += p.labels()[i] == p.predicted()[i] ? 1 : 0;
    }
    return new EpochMetrics(
        p.epoch(), trainLoss, trainAcc, loss / p.size(), right / p.size(), LR, 1);
  }

  static PixelStats pixels(double mean, double std, long... histogram) {
    List<Long> h = new ArrayList<>();
    for (long v : histogram) {
      h.add(v);
    }
    return new PixelStats(mean, std, List.of(mean), List.of(std), h);
  }

  static DatasetProfile profile(
      Map<String, Integer> train,
      Map<String, Integer> val,
      PixelStats trainPixels,
      int duplicates,
      List<DuplicatePair> pairs,
      int near,
      List<DuplicatePair> nearPairs) {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    counts.put("train", train);
    counts.put("val", val);
    counts.put("test", val);
    Map<String, PixelStats> pixels = new LinkedHashMap<>();
    if (trainPixels != null) {
      pixels.put("train", trainPixels);
    }
    int max = train.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int min = train.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    return new DatasetProfile(
        "class-folders",
        false,
        new ArrayList<>(train.keySet()),
        SampleShape.image(1, 28, 28),
        counts,
        Map.of(),
        min == 0 ? 0 : max / (double) min,
        pixels,
        Map.of(),
        0,
        0,
        List.of(),
        duplicates,
        0,
        pairs,
        near,
        nearPairs,
        null,
        null);
  }

  static DiagnosisInput input(
      RunState state,
      DatasetProfile profile,
      Map<String, List<EpochPredictions>> validation,
      OutOfSamplePredictions oos,
      SourceStats source,
      ProbeResults probes) {
    return new DiagnosisInput(state, profile, validation, oos, source, probes);
  }

  static List<String> codes(List<Finding> findings) {
    return findings.stream().map(Finding::code).collect(Collectors.toList());
  }

  static Finding only(List<Finding> findings, String code) {
    List<Finding> matching = findings.stream().filter(f -> f.code().equals(code)).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + code + " finding, got " + codes(findings));
    }
    return matching.get(0);
  }

  static List<Finding> run(DiagnosisInput input) {
    return new Diagnoser().diagnose(input);
  }

  static List<Finding> run(RunState state) {
    return new Diagnoser().diagnose(state);
  }
}
