package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.diagnosis.ProbeResults;
import io.tunelab.diagnosis.ProbeResults.FeatureProbe;
import io.tunelab.workflows.model.TrainingParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The domain-shift probe and its control on real Fashion-MNIST: a cnn pretrained on classes 0–4,
 * targets of 8 images per class. From the same domain (other images of classes 0–4, or classes 5–9,
 * the case) the probe falls no further below the control on the source's own held-out
 * images than noise; other images of classes 0–4 inverted or rotated fall far below it. (Classes
 * 5–9 inverted or rotated do not: their frozen features still tell sandals from bags, the probe
 * reaching 0.87 and 0.84 against the control's 0.78, so only the pixel statistics can flag the
 * inversion there.) The recognition check: the pretrained model, head included, knows its own
 * classes in other upright images as in its test images, not in turned ones.
 */
@Tag("integration")
class FrozenFeatureProbeTest {
  /** The rule's least shortfall below the control that counts as shift (DomainShiftRule). */
  static final double SHORTFALL = 0.15;

  /** The rule's least drop of recognition that counts as shift (DomainShiftRule). */
  static final double RECOGNITION_DROP = 0.15;

  static final TrainingParams PARAMS = FashionMnist.params("adam", "none", 5, 32);
  static byte[] pretrained;
  static LabeledImages sourceHeldOut;
  static LabeledImages target;
  static LabeledImages targetVal;
  static LabeledImages sameClasses;
  static LabeledImages sameClassesVal;

  @BeforeAll
  static void pretrain() {
    LabeledImages source = FashionMnist.subset(FashionMnist.train(), 0, 1500, 0, 4);
    LabeledImages sourceVal = FashionMnist.subset(FashionMnist.train(), 10_000, 200, 0, 4);
    EpochTrainer trainer = new EpochTrainer();
    byte[] checkpoint = null;
    for (int epoch = 1; epoch <= 3; epoch++) {
      checkpoint =
          trainer
              .run(
                  new EpochJob(
                      "cnn",
                      source.shape(),
                      5,
                      PARAMS,
                      epoch,
                      1e-3,
                      source,
                      sourceVal,
                      checkpoint,
                      null,
                      Augmenter.NONE,
                      null,
                      null),
                  StepListener.NONE)
              .checkpoint();
    }
    pretrained = checkpoint;
    sourceHeldOut = FashionMnist.subset(FashionMnist.test(), 0, 600, 0, 4);
    target = perClass(FashionMnist.subset(FashionMnist.train(), 20_000, 400, 5, 9), 8);
    targetVal = FashionMnist.subset(FashionMnist.train(), 30_000, 500, 5, 9);
    sameClasses = perClass(FashionMnist.subset(FashionMnist.train(), 20_000, 400, 0, 4), 8);
    sameClassesVal = FashionMnist.subset(FashionMnist.train(), 30_000, 500, 0, 4);
  }

  @Test
  void aSmallTargetFromTheSameDomainFallsNoFurtherBelowTheControlThanNoise() {
    FeatureProbe[] probes = probeAndControl(target, targetVal);
    double shortfall = probes[1].aboveChance() - probes[0].aboveChance();
    assertEquals(40, probes[0].trainSamples());
    assertEquals(40, probes[1].trainSamples(), "the control takes as many per class");
    assertTrue(probes[0].steps() >= FrozenFeatureProbe.PATIENCE_STEPS, "steps: " + probes[0]);
    assertTrue(
        shortfall < SHORTFALL,
        "same domain: target " + probes[0] + " vs control " + probes[1] + ": " + shortfall);
  }

  @Test
  void otherImagesOfTheSourceClassesMatchTheControl() {
    FeatureProbe[] probes = probeAndControl(sameClasses, sameClassesVal);
    double shortfall = probes[1].aboveChance() - probes[0].aboveChance();
    assertTrue(
        shortfall < SHORTFALL,
        "same classes: target " + probes[0] + " vs control " + probes[1] + ": " + shortfall);
  }

  static final java.util.List<String> SOURCE_CLASSES =
      java.util.List.of("t-shirt", "trouser", "pullover", "dress", "coat");

  @Test
  void thePretrainedModelRecognisesItsOwnClassesUprightButNotTurned() {
    Probes probes = new Probes(new EpochTrainer());
    ProbeResults.Recognition upright =
        probes.recognition(
            pretrained,
            SOURCE_CLASSES,
            sourceHeldOut,
            SOURCE_CLASSES,
            sameClassesVal,
            PARAMS.device());
    ProbeResults.Recognition turned =
        probes.recognition(
            pretrained,
            SOURCE_CLASSES,
            sourceHeldOut,
            SOURCE_CLASSES,
            quarterTurned(sameClassesVal),
            PARAMS.device());
    assertEquals(500, upright.targetSamples());
    assertEquals(600, upright.sourceSamples());
    assertEquals(5, upright.sharedClasses());
    assertTrue(upright.drop() < RECOGNITION_DROP, "same images: " + upright);
    assertTrue(
        turned.drop() >= RECOGNITION_DROP && turned.drop() >= 2 * turned.dropStdError(),
        "a quarter turn: " + turned);
  }

  @Test
  void recognitionCountsOnlyTheClassesBothTasksHave() {
    Probes probes = new Probes(new EpochTrainer());
    java.util.List<String> newTask =
        java.util.List.of("sandal", "shirt", "sneaker", "bag", "ankle-boot");
    assertNull(
        probes.recognition(
            pretrained, SOURCE_CLASSES, sourceHeldOut, newTask, targetVal, PARAMS.device()));
    // Target classes 0 and 1 named as source classes 1 and 4: only their images count, each
    // relabelled to the source's index, on both sides.
    java.util.List<String> two = java.util.List.of("trouser", "coat", "x", "y", "z");
    ProbeResults.Recognition r =
        probes.recognition(
            pretrained, SOURCE_CLASSES, sourceHeldOut, two, sameClassesVal, PARAMS.device());
    assertEquals(2, r.sharedClasses());
    assertEquals(count(sameClassesVal, 0) + count(sameClassesVal, 1), r.targetSamples());
    assertEquals(count(sourceHeldOut, 1) + count(sourceHeldOut, 4), r.sourceSamples());
    LabeledImages relabelled = Probes.relabelled(sameClassesVal, new int[] {1, 4, -1, -1, -1});
    assertEquals(r.targetSamples(), relabelled.size());
    for (int i = 0; i < relabelled.size(); i++) {
      assertTrue(relabelled.label(i) == 1 || relabelled.label(i) == 4);
    }
  }

  @Test
  void featureStatisticsStayNearTheRunningOnesInTheDomainAndLeaveThemForScrambledPixels() {
    Probes probes = new Probes(new EpochTrainer());
    ProbeResults.FeatureStats[] same =
        probes.featureStatistics(pretrained, sameClassesVal, sourceHeldOut, PARAMS.device());
    ProbeResults.FeatureStats[] scrambled =
        probes.featureStatistics(pretrained, scrambled(sameClassesVal), null, PARAMS.device());
    ProbeResults.FeatureStats control = same[1];
    assertEquals(64, same[0].channels(), "the cnn's second stage: " + same[0]);
    assertEquals(500, same[0].samples());
    assertTrue(
        control.meanShift() < 0.25 && control.varianceRatio() < Math.sqrt(1.5),
        "the source's own test images sit within half the limits: " + control);
    assertTrue(
        same[0].meanShift() < 0.5 && same[0].varianceRatio() < 1.5, "same domain: " + same[0]);
    assertNull(scrambled[1], "no source samples, no control");
    assertTrue(
        scrambled[0].meanShift() > 0.5 || scrambled[0].varianceRatio() > 1.5,
        "scrambled pixels: " + scrambled[0]);
  }

  /** Every image's pixels shuffled by one fixed permutation. */
  private static LabeledImages scrambled(LabeledImages images) {
    int n = images.shape().size();
    int[] permutation = new int[n];
    for (int i = 0; i < n; i++) {
      permutation[i] = i;
    }
    java.util.Random random = new java.util.Random(5);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = permutation[i];
      permutation[i] = permutation[j];
      permutation[j] = t;
    }
    byte[] src = images.pixels();
    byte[] out = new byte[src.length];
    for (int k = 0; k < images.size(); k++) {
      for (int i = 0; i < n; i++) {
        out[k * n + i] = src[k * n + permutation[i]];
      }
    }
    return new LabeledImages(images.shape(), out, images.labels().clone());
  }

  private static int count(LabeledImages images, int label) {
    int n = 0;
    for (int i = 0; i < images.size(); i++) {
      n += images.label(i) == label ? 1 : 0;
    }
    return n;
  }

  /** Every image turned a quarter turn clockwise. */
  private static LabeledImages quarterTurned(LabeledImages images) {
    int side = images.shape().width();
    byte[] src = images.pixels();
    byte[] out = new byte[src.length];
    int n = side * side;
    for (int k = 0; k < images.size(); k++) {
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          out[k * n + x * side + (side - 1 - y)] = src[k * n + y * side + x];
        }
      }
    }
    return new LabeledImages(images.shape(), out, images.labels().clone());
  }

  @Test
  void theProbeIsReproducible() {
    Probes probes = new Probes(new EpochTrainer());
    Probes.Job job = job(target, targetVal);
    assertEquals(probes.linearProbe(job, null), probes.linearProbe(job, null));
  }

  private static FeatureProbe[] probeAndControl(LabeledImages train, LabeledImages val) {
    Probes probes = new Probes(new EpochTrainer());
    Probes.Job job = job(train, val);
    FeatureProbe probe = probes.linearProbe(job, null);
    FeatureProbe control = probes.controlProbe(job, sourceHeldOut, 5, null);
    assertNotNull(control, "600 held-out source images are enough for a control");
    return new FeatureProbe[] {probe, control};
  }

  private static Probes.Job job(LabeledImages train, LabeledImages val) {
    return new Probes.Job("cnn", train.shape(), 5, PARAMS, train, val, pretrained);
  }

  /** The first {@code n} images of each class. */
  private static LabeledImages perClass(LabeledImages images, int n) {
    int[] taken = new int[5];
    java.util.List<Integer> kept = new java.util.ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (taken[images.label(i)]++ < n) {
        kept.add(i);
      }
    }
    return Probes.subset(images, kept);
  }
}
