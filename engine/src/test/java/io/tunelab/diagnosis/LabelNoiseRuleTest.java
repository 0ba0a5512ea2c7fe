package io.tunelab.diagnosis;

import static io.tunelab.diagnosis.Fixtures.codes;
import static io.tunelab.diagnosis.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelNoiseRuleTest {
  static final int K = 4;
  static final int N = 800;

  /**
   * Out-of-sample probabilities of a model that is confident and right on "easy" images and unsure
   * (and often wrong) on "hard" ones; {@code flipRate} of the easy images get a random wrong label
   * (planted flips, recorded in {@code flipped}).
   */
  static OutOfSamplePredictions synthetic(
      double hardRate, double flipRate, long seed, Set<Integer> flipped) {
    return synthetic(hardRate, 0, flipRate, seed, flipped);
  }

  /**
   * As above, and {@code confidentErrorRate} of the images (correctly labelled) are predicted
   * confidently wrong: an overconfident model's mistakes, not label errors.
   */
  static OutOfSamplePredictions synthetic(
      double hardRate,
      double confidentErrorRate,
      double flipRate,
      long seed,
      Set<Integer> flipped) {
    Random random = new Random(seed);
    String[] paths = new String[N];
    int[] labels = new int[N];
    float[][] probabilities = new float[N][];
    for (int i = 0; i < N; i++) {
      int truth = i % K;
      float[] p = new float[K];
      double draw = random.nextDouble();
      boolean hard = draw < hardRate;
      boolean confidentlyWrong = !hard && draw < hardRate + confidentErrorRate;
      if (confidentlyWrong) {
        int rival = (truth + 1 + random.nextInt(K - 1)) % K;
        double pr = 0.75 + 0.23 * random.nextDouble();
        for (int j = 0; j < K; j++) {
          p[j] = (float) (j == rival ? pr : (1 - pr) / (K - 1));
        }
      } else if (hard) {
        // unsure: the true class and a rival share most of the mass, the rival often ahead
        int rival = (truth + 1 + random.nextInt(K - 1)) % K;
        double pt = 0.25 + 0.25 * random.nextDouble();
        double pr = 0.30 + 0.25 * random.nextDouble();
        double rest = Math.max(0, 1 - pt - pr) / (K - 2);
        for (int j = 0; j < K; j++) {
          p[j] = (float) (j == truth ? pt : j == rival ? pr : rest);
        }
      } else {
        double pt = 0.75 + 0.23 * random.nextDouble();
        for (int j = 0; j < K; j++) {
          p[j] = (float) (j == truth ? pt : (1 - pt) / (K - 1));
        }
      }
      int label = truth;
      if (!hard && !confidentlyWrong && random.nextDouble() < flipRate) {
        label = (truth + 1 + random.nextInt(K - 1)) % K;
        flipped.add(i);
      }
      labels[i] = label;
      probabilities[i] = p;
      paths[i] = "c" + label + "/img" + i + ".png";
    }
    return new OutOfSamplePredictions(paths, labels, probabilities);
  }

  static RunState run() {
    return Fixtures.state(
        Fixtures.balanced(K, N / K, 200), null, Fixtures.arm("finetune", Fixtures.healthyCurve(5)));
  }

  @Test
  void heldOutModelsAtChanceSayNothingOfTheLabels() {
    // Models that learned nothing (too low a rate) but are confident: three quarters of the clean
    // labels "confidently" contradicted, the accuracy of guessing among 4 classes.
    OutOfSamplePredictions oos = synthetic(0, 0.75, 0, 3, new HashSet<>());
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, K);
    assertTrue(r.flaggedFraction() > 0.5, "flagged " + r.flaggedFraction());
    assertTrue(LabelNoiseRule.atChance(r, K), "error rate " + r.errorRate());
    assertFalse(
        codes(Fixtures.run(Fixtures.input(run(), null, null, oos, null, null)))
            .contains("label-noise"));
    // A model clearly better than chance is judged as before.
    assertFalse(
        LabelNoiseRule.atChance(
            ConfidentLearning.analyse(synthetic(0.2, 0.2, 1, new HashSet<>()), K), K));
  }

  @Test
  void plantedFlipsAreFoundAndNamed() {
    Set<Integer> flipped = new HashSet<>();
    OutOfSamplePredictions oos = synthetic(0.2, 0.20, 1, flipped);
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, K);
    double planted = flipped.size() / (double) N;
    assertTrue(
        r.flaggedFraction() > 0.8 * planted && r.flaggedFraction() < 1.25 * planted,
        "flagged " + r.flaggedFraction() + " vs planted " + planted);
    assertTrue(r.estimatedNoiseFraction() >= r.flaggedFraction());
    Finding f =
        only(Fixtures.run(Fixtures.input(run(), null, null, oos, null, null)), "label-noise");
    assertEquals("warning", f.severity());
    assertEquals("data", f.arm());
    List<ConfidentLearning.Suspect> named = LabelNoiseRule.names(r);
    assertEquals(10, named.size());
    int hits = 0;
    for (ConfidentLearning.Suspect s : named) {
      assertTrue(
          f.evidence()
              .contains(oos.paths()[s.index()] + " (c" + s.given() + " → c" + s.suspected() + ","),
          f.evidence());
      hits += flipped.contains(s.index()) ? 1 : 0;
    }
    assertTrue(hits >= 5, "precision of named examples " + hits + "/10");
    // recall over all suspects, and precision over all of them, are high too
    long all = r.suspects().stream().filter(s -> flipped.contains(s.index())).count();
    assertTrue(all >= 0.5 * r.suspects().size(), all + " of " + r.suspects().size());
  }

  @Test
  void noisyLabelsRaiseTheLossAtWhichTheModelUnderfits() {
    // 20% flips on 4 classes: a fit of the clean labels still pays about 0.5 + 0.2 ln 3 on them;
    // a training loss at 70% of ln 4 is what such a fit looks like, not underfitting, while one
    // at 95% of ln 4 still underfits.
    OutOfSamplePredictions oos = synthetic(0.2, 0.20, 1, new HashSet<>());
    double lnK = Math.log(K);
    RunState fits =
        Fixtures.state(
            Fixtures.balanced(K, N / K, 200),
            null,
            Fixtures.arm(
                "finetune",
                Fixtures.curve(
                    new double[] {0.9 * lnK, 0.8 * lnK, 0.72 * lnK, 0.70 * lnK},
                    new double[] {0.5, 0.6, 0.62, 0.63},
                    new double[] {1.0, 0.9, 0.85, 0.84},
                    new double[] {0.6, 0.65, 0.66, 0.66})));
    List<Finding> findings = Fixtures.run(Fixtures.input(fits, null, null, oos, null, null));
    assertTrue(codes(findings).contains("label-noise"));
    assertFalse(codes(findings).contains("underfitting"), findings.toString());
    RunState stuck =
        Fixtures.state(
            Fixtures.balanced(K, N / K, 200),
            null,
            Fixtures.arm(
                "finetune",
                Fixtures.curve(
                    new double[] {0.99 * lnK, 0.97 * lnK, 0.96 * lnK, 0.95 * lnK},
                    new double[] {0.3, 0.31, 0.31, 0.32},
                    new double[] {1.4, 1.38, 1.37, 1.37},
                    new double[] {0.3, 0.3, 0.31, 0.31})));
    Finding f =
        only(Fixtures.run(Fixtures.input(stuck, null, null, oos, null, null)), "underfitting");
    assertTrue(f.evidence().contains("(see label-noise)"), f.evidence());
  }

  @Test
  void cleanLabelsWithAnImperfectModelAreSilent() {
    // 20% hard images, about half of them misclassified: error rate ~10%, no planted flips
    Set<Integer> none = new HashSet<>();
    OutOfSamplePredictions oos = synthetic(0.2, 0.0, 2, none);
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, K);
    assertTrue(r.errorRate() > 0.05, "the model errs: " + r.errorRate());
    assertFalse(
        codes(Fixtures.run(Fixtures.input(run(), null, null, oos, null, null)))
            .contains("label-noise"));
  }

  @Test
  void aFewConfidentMistakesOnCleanLabelsAreSilent() {
    // an overconfident model: 3% of clean images predicted wrong with p 0.75–0.98
    OutOfSamplePredictions oos = synthetic(0.2, 0.03, 0.0, 5, new HashSet<>());
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, K);
    assertTrue(r.suspects().size() >= 10, "confident mistakes are flagged: " + r.suspects().size());
    assertTrue(r.flaggedFraction() < LabelNoiseRule.MIN_FRACTION, "" + r.flaggedFraction());
    assertFalse(
        codes(Fixtures.run(Fixtures.input(run(), null, null, oos, null, null)))
            .contains("label-noise"));
  }

  @Test
  void aWeakOverconfidentModelOnCleanLabelsIsSilentThanksToTheErrorRateLimit() {
    // 60% hard images and 7% confident mistakes: error rate ~40%; the confident joint's
    // off-diagonal is above 5% but well below a third of the error rate
    OutOfSamplePredictions oos = synthetic(0.6, 0.07, 0.0, 3, new HashSet<>());
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, K);
    assertTrue(r.errorRate() > 0.3, "error rate " + r.errorRate());
    assertTrue(
        r.flaggedFraction() > LabelNoiseRule.MIN_FRACTION,
        "a plain 5% limit would fire: " + r.flaggedFraction());
    assertFalse(
        codes(Fixtures.run(Fixtures.input(run(), null, null, oos, null, null)))
            .contains("label-noise"));
  }

  /** The same predictions with the held-out models' validation error rate. */
  static OutOfSamplePredictions withValidation(
      OutOfSamplePredictions oos, double valErrorRate, int valImages) {
    return new OutOfSamplePredictions(
        oos.paths(), oos.labels(), oos.probabilities(), valErrorRate, valImages);
  }

  @Test
  void weakOverconfidentModelsOnCleanLabelsAreSilentWhenValidationErrsAsOften() {
    // small clean data: held-out models confidently wrong on 25% of the images (most of their
    // errors), as the 60-per-class scenario's were
    OutOfSamplePredictions oos = synthetic(0.2, 0.25, 0.0, 6, new HashSet<>());
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, K);
    assertTrue(
        codes(Fixtures.run(Fixtures.input(run(), null, null, oos, null, null)))
            .contains("label-noise"),
        "the share of confident errors alone would fire: "
            + r.flaggedFraction()
            + " of "
            + r.errorRate());
    // the same models err as often on the (i.i.d.) validation images: the labels are not it
    OutOfSamplePredictions same = withValidation(oos, r.errorRate() - 0.02, 400);
    assertFalse(
        codes(Fixtures.run(Fixtures.input(run(), null, null, same, null, null)))
            .contains("label-noise"));
  }

  @Test
  void plantedFlipsFireWhenTheValidationLabelsAreCleaner() {
    OutOfSamplePredictions oos = synthetic(0.2, 0.20, 1, new HashSet<>());
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, K);
    OutOfSamplePredictions cleanVal = withValidation(oos, r.errorRate() - 0.15, 400);
    Finding f =
        only(Fixtures.run(Fixtures.input(run(), null, null, cleanVal, null, null)), "label-noise");
    assertTrue(f.evidence().contains("of the 400 validation images"), f.evidence());
    assertTrue(f.evidence().contains("the training labels are the worse"), f.evidence());
  }

  /**
   * Out-of-sample predictions on 200 training samples of each of classes 1–3 (40 of them another
   * class's samples given its label, 20 unsure) and {@code size} of class 0, {@code flips} of them
   * other classes' samples given label 0; the held-out models are confident on every flip.
   */
  static OutOfSamplePredictions starved(int size, int flips, double valErrorRate) {
    Rows rows = new Rows();
    Random random = new Random(11);
    for (int given = 0; given < K; given++) {
      int count = given == 0 ? size : 200;
      int flipped = given == 0 ? flips : 40;
      int unsure = given == 0 ? 0 : 20;
      for (int j = 0; j < count; j++) {
        int rival = (given + 1 + random.nextInt(K - 1)) % K;
        if (given > 0 && rival == 0) {
          rival = 1 + given % (K - 1); // the starved class lends no samples to the others
        }
        if (j < flipped) {
          rows.add(given, given, 0.03f, rival, 0.9f);
        } else if (j < flipped + unsure) {
          rows.add(given, given, 0.35f, rival, 0.40f);
        } else {
          rows.add(given, given, 0.9f, rival, 0.03f);
        }
      }
    }
    return rows.build(valErrorRate);
  }

  /**
   * Out-of-sample rows built one training image at a time: each row's probabilities are set on a
   * few classes and the rest of the mass is shared evenly by the others.
   */
  static final class Rows {
    private final List<Integer> labels = new java.util.ArrayList<>();
    private final List<float[]> probabilities = new java.util.ArrayList<>();

    /**
     * An image labelled {@code given}: {@code p1} on class {@code c1}, {@code p2} on {@code c2}.
     */
    void add(int given, int c1, float p1, int c2, float p2) {
      add(given, new int[] {c1, c2}, new float[] {p1, p2});
    }

    /** The same with a third class {@code c3} at {@code p3}. */
    void add(int given, int c1, float p1, int c2, float p2, int c3, float p3) {
      add(given, new int[] {c1, c2, c3}, new float[] {p1, p2, p3});
    }

    private void add(int given, int[] classes, float[] set) {
      float[] p = new float[K];
      java.util.Arrays.fill(p, Float.NaN);
      float used = 0;
      for (int i = 0; i < classes.length; i++) {
        p[classes[i]] = set[i];
        used += set[i];
      }
      int free = K - classes.length;
      for (int c = 0; c < K; c++) {
        if (Float.isNaN(p[c])) {
          p[c] = (1 - used) / free;
        }
      }
      labels.add(given);
      probabilities.add(p);
    }

    OutOfSamplePredictions build(double valErrorRate) {
      int n = labels.size();
      String[] paths = new String[n];
      int[] given = new int[n];
      for (int i = 0; i < n; i++) {
        given[i] = labels.get(i);
        paths[i] = "c" + given[i] + "/img" + i + ".png";
      }
      return new OutOfSamplePredictions(
          paths, given, probabilities.toArray(new float[0][]), valErrorRate, 400);
    }
  }

  /** A 4-class run whose class 0 has {@code size} training samples and the others 200. */
  static RunState starvedRun(int size) {
    java.util.Map<String, Integer> train = Fixtures.perClass(K, 200);
    train.put(Fixtures.classes(K).get(0), size);
    return Fixtures.state(
        Fixtures.dataset(train, Fixtures.perClass(K, 100), 0),
        null,
        Fixtures.arm("finetune", Fixtures.healthyCurve(5)));
  }

  /**
   * The harness's noise-and-imbalance case: 20% of classes 1–3's labels flipped, and class 0
   * starved to 40 training images of which 34 are other classes' images given its label. Against
   * balanced validation images the plain training error (0.33) looks no worse than the validation
   * error (0.34); weighted as validation weighs the classes it is 0.44.
   */
  @Test
  void aStarvedClassFullOfFlipsWeighsOnTheTrainingSideAsInValidation() {
    OutOfSamplePredictions oos = starved(40, 34, 0.34);
    RunState state = starvedRun(40);
    DiagnosisInput input = Fixtures.input(state, null, null, oos, null, null);
    double[] matched = LabelNoiseRule.classMatchedErrorRate(oos, new DiagnosisContext(input));
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, K);
    assertEquals(0.33, r.errorRate(), 0.01);
    assertEquals(0.25 * 34 / 40 + 0.75 * 0.30, matched[0], 1e-9);
    assertTrue(
        r.flaggedFraction() < LabelNoiseRule.STRONG_OF_ERROR_RATE * r.errorRate(),
        "not enough confident errors to fire without the comparison: " + r.flaggedFraction());
    Finding f = only(Fixtures.run(input), "label-noise");
    assertTrue(f.evidence().contains("(each class weighted as in validation)"), f.evidence());
    assertTrue(f.evidence().contains("the training labels are the worse"), f.evidence());
  }

  @Test
  void aStarvedClassFilledWithFlipsIsImbalancedByItsTrueSize() {
    // Class 0's label counts 100 against 200 (within the limits), but 80 of its 100 are flips:
    // the confident joint puts its true size near 20.
    OutOfSamplePredictions oos = starved(100, 80, 0.20);
    List<Finding> findings =
        Fixtures.run(Fixtures.input(starvedRun(100), null, null, oos, null, null));
    assertTrue(codes(findings).contains("label-noise"), codes(findings).toString());
    Finding f = only(findings, "class-imbalance");
    assertTrue(f.title().contains("once the mislabelled"), f.title());
    assertTrue(f.evidence().contains("smallest 'c0' ~20"), f.evidence());
    assertTrue(f.recommendation().startsWith("Fix the labels first"), f.recommendation());
    // Without label-noise found the given counts stand: no finding.
    OutOfSamplePredictions noisyEverywhere = starved(100, 80, 0.45);
    List<Finding> unsure =
        Fixtures.run(Fixtures.input(starvedRun(100), null, null, noisyEverywhere, null, null));
    assertFalse(codes(unsure).contains("label-noise"), codes(unsure).toString());
    assertFalse(codes(unsure).contains("class-imbalance"), codes(unsure).toString());
  }

  /**
   * The harness's digits seed 3: class 0's 100 labels hold 20 true images and 80 flips the models
   * are unsure of, so its self-confidence threshold is low (0.22) and draws 20 unsure images of
   * each other class into it: the confident joint puts its size near 160 of 175 on average, within
   * the limits, while the models predict class 0 for 20 training images only.
   */
  static OutOfSamplePredictions starvedDrawingOthers() {
    Rows rows = new Rows();
    Random random = new Random(5);
    for (int given = 0; given < K; given++) {
      int count = given == 0 ? 100 : 200;
      for (int j = 0; j < count; j++) {
        int rival = 1 + (given + random.nextInt(K - 2)) % (K - 1);
        if (rival == given) {
          rival = 1 + given % (K - 1);
        }
        if (given == 0) {
          boolean flip = j < 80;
          rows.add(given, 0, flip ? 0.15f : 0.5f, rival, flip ? 0.6f : 0.2f);
        } else if (j < 40) {
          rows.add(given, given, 0.03f, rival, 0.9f);
        } else if (j < 60) {
          rows.add(given, given, 0.15f, rival, 0.35f, 0, 0.30f);
        } else {
          rows.add(given, given, 0.9f, rival, 0.03f);
        }
      }
    }
    return rows.build(0.20);
  }

  @Test
  void aStarvedClassTheJointOverestimatesIsImbalancedByWhatTheModelsPredict() {
    OutOfSamplePredictions oos = starvedDrawingOthers();
    double[] joint = ConfidentLearning.estimatedTrueCounts(oos, ConfidentLearning.analyse(oos, K));
    double mean = java.util.Arrays.stream(joint).sum() / K;
    double min = java.util.Arrays.stream(joint).min().orElseThrow();
    double max = java.util.Arrays.stream(joint).max().orElseThrow();
    assertEquals(min, joint[0], 1e-9, "the joint ranks class 0 smallest: " + List.of(joint));
    assertFalse(
        ClassImbalanceRule.imbalanced(max, min, mean),
        "the joint alone misses it: " + java.util.Arrays.toString(joint));
    assertEquals(20, ConfidentLearning.predictedCounts(oos, K)[0], 1e-9);
    List<Finding> findings =
        Fixtures.run(Fixtures.input(starvedRun(100), null, null, oos, null, null));
    assertTrue(codes(findings).contains("label-noise"), codes(findings).toString());
    Finding f = only(findings, "class-imbalance");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("the classes they predict"), f.evidence());
    assertTrue(f.evidence().contains("smallest 'c0' ~20"), f.evidence());
  }

  @Test
  void aHardClassWithAsManyLabelsIsNotStarvedWhateverTheModelsPredict() {
    // Balanced labels, 30% flipped; class 0 is hard: the models put its true images at 0.30
    // against a rival's 0.40, so they predict it for none of them, and the joint still ranks it
    // smallest. Its 200 labels are as many as the others': no imbalance.
    Rows rows = new Rows();
    for (int given = 0; given < K; given++) {
      for (int j = 0; j < 200; j++) {
        int rival = 1 + (given + j) % (K - 1);
        if (rival == given) {
          rival = 1 + given % (K - 1);
        }
        if (j < 60) {
          rows.add(given, given, 0.03f, rival, 0.9f);
        } else if (given == 0) {
          rows.add(given, 0, 0.30f, rival, 0.40f);
        } else {
          rows.add(given, given, 0.9f, rival, 0.03f);
        }
      }
    }
    // Validation, its labels clean, errs on the hard class's images only: 0.7 · 1/4.
    OutOfSamplePredictions oos = rows.build(0.175);
    assertEquals(0, ConfidentLearning.predictedCounts(oos, K)[0], 1e-9);
    double[] joint = ConfidentLearning.estimatedTrueCounts(oos, ConfidentLearning.analyse(oos, K));
    assertEquals(
        java.util.Arrays.stream(joint).min().orElseThrow(),
        joint[0],
        1e-9,
        java.util.Arrays.toString(joint));
    List<Finding> findings = Fixtures.run(Fixtures.input(run(), null, null, oos, null, null));
    assertTrue(codes(findings).contains("label-noise"), codes(findings).toString());
    assertFalse(codes(findings).contains("class-imbalance"), codes(findings).toString());
  }

  @Test
  void aTrainingSideJustBeyondItsNoiseIsInfo() {
    // Planted flips, but validation errs nearly as often: the excess is within 1.5× its noise.
    OutOfSamplePredictions oos = synthetic(0.2, 0.20, 1, new HashSet<>());
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, K);
    assertTrue(r.flaggedFraction() <= LabelNoiseRule.STRONG_OF_ERROR_RATE * r.errorRate());
    OutOfSamplePredictions near = withValidation(oos, r.errorRate() - 0.06, 400);
    Finding f =
        only(Fixtures.run(Fixtures.input(run(), null, null, near, null, null)), "label-noise");
    assertEquals("info", f.severity());
    assertTrue(f.evidence().contains("within 1.5× of it, so info"), f.evidence());
    OutOfSamplePredictions far = withValidation(oos, r.errorRate() - 0.15, 400);
    assertEquals(
        "warning",
        only(Fixtures.run(Fixtures.input(run(), null, null, far, null, null)), "label-noise")
            .severity());
  }

  @Test
  void labelsNoisyInBothSplitsStillFireWhenNearlyEveryErrorIsConfident() {
    // 30% flipped, held-out models otherwise right: the errors are the flips, all confident,
    // and the validation labels are as noisy
    OutOfSamplePredictions oos = synthetic(0.05, 0.0, 0.30, 7, new HashSet<>());
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, K);
    assertTrue(
        r.flaggedFraction() > LabelNoiseRule.STRONG_OF_ERROR_RATE * r.errorRate(),
        r.flaggedFraction() + " of " + r.errorRate());
    Finding f =
        only(
            Fixtures.run(
                Fixtures.input(
                    run(), null, null, withValidation(oos, r.errorRate(), 400), null, null)),
            "label-noise");
    assertTrue(f.evidence().contains("the validation labels look as noisy"), f.evidence());
  }

  @Test
  void calibrationScalesRowsToTheirClassSize() {
    // class 0: 4 images, 1 consistent + 1 suspect (→ 1) + 2 unsure (no class above threshold):
    // calibrated off-diagonal = 1/2 · 4 = 2 of 6 images, flagged 1 of 6
    OutOfSamplePredictions oos =
        new OutOfSamplePredictions(
            new String[] {"a", "b", "c", "d", "e", "f"},
            new int[] {0, 0, 0, 0, 1, 1},
            new float[][] {
              {0.9f, 0.1f}, {0.1f, 0.9f}, {0.45f, 0.55f}, {0.45f, 0.55f}, {0.1f, 0.9f}, {0.1f, 0.9f}
            });
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, 2);
    // t0 = mean(0.9, 0.1, 0.45, 0.45) = 0.475; t1 = 0.9: c and d have p1 = 0.55 < t1, p0 < t0
    assertEquals(1, r.suspects().size());
    assertEquals(1 / 6.0, r.flaggedFraction(), 1e-9);
    assertEquals(2 / 6.0, r.estimatedNoiseFraction(), 1e-9);
  }

  @Test
  void fewFlipsStayBelowTheLimit() {
    Set<Integer> flipped = new HashSet<>();
    OutOfSamplePredictions oos = synthetic(0.2, 0.02, 4, flipped);
    assertFalse(
        codes(Fixtures.run(Fixtures.input(run(), null, null, oos, null, null)))
            .contains("label-noise"));
  }

  @Test
  void thresholdsAreMeanSelfConfidence() {
    OutOfSamplePredictions oos =
        new OutOfSamplePredictions(
            new String[] {"a", "b", "c", "d"},
            new int[] {0, 0, 1, 1},
            new float[][] {{0.9f, 0.1f}, {0.7f, 0.3f}, {0.2f, 0.8f}, {0.95f, 0.05f}});
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, 2);
    assertEquals(0.8, r.thresholds()[0], 1e-6);
    assertEquals(0.425, r.thresholds()[1], 1e-6);
    // d: labelled 1, p0 = 0.95 ≥ t0 = 0.8 and > p1 → suspect 1 → 0
    assertEquals(1, r.suspects().size());
    assertEquals(3, r.suspects().get(0).index());
    assertEquals(0, r.suspects().get(0).suspected());
    assertEquals(1, r.confidentJoint()[1][0]);
    // row 1 has one consistent (c) and one suspect (d): calibrated to 2 images, 1 off-diagonal
    assertEquals(0.25, r.flaggedFraction(), 1e-9);
    assertEquals(0.25, r.estimatedNoiseFraction(), 1e-9);
    assertEquals(0.25, r.errorRate(), 1e-9);
  }
}
