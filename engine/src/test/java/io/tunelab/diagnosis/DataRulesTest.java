package io.tunelab.diagnosis;

import static io.tunelab.diagnosis.Fixtures.codes;
import static io.tunelab.diagnosis.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.ClipStats;
import io.tunelab.dataset.DatasetProfile;
import io.tunelab.dataset.DuplicatePair;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.SampleShape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Class imbalance, insufficient data and train/val leakage. */
class DataRulesTest {

  static Map<String, Integer> counts(int... n) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < n.length; i++) {
      m.put("c" + i, n[i]);
    }
    return m;
  }

  static RunState run(Map<String, Integer> train, int duplicates) {
    return Fixtures.state(
        Fixtures.dataset(train, Fixtures.perClass(train.size(), 200), duplicates),
        null,
        Fixtures.arm("finetune", Fixtures.healthyCurve(6)));
  }

  @Test
  void imbalanceStatesTheCounts() {
    Finding f = only(Fixtures.run(run(counts(300, 300, 90), 0)), "class-imbalance");
    assertEquals("warning", f.severity());
    assertEquals("data", f.arm());
    assertTrue(f.evidence().contains("smallest 'c2' 90"), f.evidence());
    assertTrue(f.evidence().contains("largest 'c0' 300"), f.evidence());
    assertTrue(f.evidence().contains("ratio 3.3"), f.evidence());
    assertTrue(f.recommendation().contains("'c2'"), f.recommendation());
  }

  @Test
  void moderateImbalanceIsSilent() {
    // ratio 2.5, smallest 120 above a third of the mean (223)
    assertFalse(codes(Fixtures.run(run(counts(300, 250, 120), 0))).contains("class-imbalance"));
  }

  @Test
  void fewImagesPerClassIsInsufficientData() {
    Finding f = only(Fixtures.run(run(counts(30, 30, 30), 0)), "insufficient-data");
    assertTrue(
        f.evidence().contains("median training class has 30 images (< 50 per class)"),
        f.evidence());
  }

  @Test
  void learningCurveStillRisingIsInsufficientDataEvenWithManyImages() {
    ProbeResults probes =
        new ProbeResults(
            List.of(
                new ProbeResults.CurvePoint(0.25, 225, 0.72),
                new ProbeResults.CurvePoint(0.5, 450, 0.79),
                new ProbeResults.CurvePoint(1.0, 900, 0.85)),
            null,
            null,
            null,
            null,
            null,
            null);
    DiagnosisInput input =
        Fixtures.input(run(counts(300, 300, 300), 0), null, null, null, null, probes);
    Finding f = only(Fixtures.run(input), "insufficient-data");
    assertTrue(f.evidence().contains("+0.060 per doubling, still rising"), f.evidence());
    assertTrue(f.recommendation().contains("Doubling the training set"), f.recommendation());
  }

  @Test
  void aFlatLearningCurveSilencesTheCount() {
    ProbeResults probes =
        new ProbeResults(
            List.of(
                new ProbeResults.CurvePoint(0.5, 45, 0.900),
                new ProbeResults.CurvePoint(1.0, 90, 0.902)),
            null,
            null,
            null,
            null,
            null,
            null);
    assertFalse(
        codes(
                Fixtures.run(
                    Fixtures.input(run(counts(30, 30, 30), 0), null, null, null, null, probes)))
            .contains("insufficient-data"));
    assertFalse(codes(Fixtures.run(run(counts(300, 300, 300), 0))).contains("insufficient-data"));
  }

  @Test
  void exactDuplicatesAcrossSplitsAreCriticalLeakageWithExamples() {
    Map<String, Integer> train = counts(300, 300);
    List<DuplicatePair> pairs =
        List.of(
            new DuplicatePair("c0/a.png", "train", "c0/a-copy.png", "val", 0),
            new DuplicatePair("c1/b.png", "train", "c1/b2.png", "train", 0),
            new DuplicatePair("c1/c.png", "val", "c1/c.png", "test", 0));
    DatasetProfile profile =
        Fixtures.profile(
            train,
            Fixtures.perClass(2, 200),
            null,
            2,
            pairs,
            1,
            List.of(new DuplicatePair("c0/d.png", "train", "c0/d-crop.png", "test", 3)));
    Finding f =
        only(
            Fixtures.run(Fixtures.input(run(train, 2), profile, null, null, null, null)),
            "train-val-leakage");
    assertEquals("critical", f.severity());
    assertTrue(f.evidence().contains("train:c0/a.png = val:c0/a-copy.png"), f.evidence());
    assertTrue(f.evidence().contains("val:c1/c.png = test:c1/c.png"), f.evidence());
    assertFalse(f.evidence().contains("c1/b2.png"), "a within-split pair is not leakage");
    assertTrue(f.evidence().contains("1 near-duplicate pairs"), f.evidence());
    assertTrue(f.evidence().contains("0.3% of the 800 val+test images"), f.evidence());
  }

  @Test
  void stateAloneReportsTheLeakageCount() {
    Finding f = only(Fixtures.run(run(counts(300, 300), 3)), "train-val-leakage");
    assertEquals("critical", f.severity());
    assertTrue(f.evidence().startsWith("3 val/test images"), f.evidence());
  }

  @Test
  void aFewNearDuplicatesAloneAreNoFinding() {
    // clean Fashion-MNIST has thousands of look-alike pairs within 4 bits: no evidence of leakage
    Map<String, Integer> train = counts(300, 300);
    DatasetProfile profile =
        Fixtures.profile(
            train,
            Fixtures.perClass(2, 200),
            null,
            0,
            List.of(),
            2,
            List.of(
                new DuplicatePair("c0/d.png", "train", "c0/d-crop.png", "val", 2),
                new DuplicatePair("c0/e.png", "train", "c0/e2.png", "val", 0)));
    assertEquals(
        List.of("healthy"),
        codes(Fixtures.run(Fixtures.input(run(train, 0), profile, null, null, null, null))));
  }

  @Test
  void manyIdenticalHashesAcrossSplitsAreInfoWithPairsToInspect() {
    // 40 of the 800 val+test images (5%) have a train image with the same perceptual hash
    Map<String, Integer> train = counts(300, 300);
    List<DuplicatePair> near = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      near.add(new DuplicatePair("c0/t" + i + ".png", "train", "c0/v" + i + ".jpg", "val", 0));
    }
    DatasetProfile profile =
        Fixtures.profile(train, Fixtures.perClass(2, 200), null, 0, List.of(), 40, near);
    Finding f =
        only(
            Fixtures.run(Fixtures.input(run(train, 0), profile, null, null, null, null)),
            "train-val-leakage");
    assertEquals("info", f.severity());
    assertTrue(f.evidence().contains("train:c0/t0.png ≈ val:c0/v0.jpg"), f.evidence());
    assertTrue(
        f.evidence().contains("40 with identical hashes; 40 distinct of the 800"), f.evidence());
  }

  @Test
  void aClassWithoutTestImagesIsNamedAsUnmeasured() {
    // Two images of 'c2': one for train, one for val, none for test.
    Map<String, Integer> val = counts(40, 40, 1);
    Map<String, Map<String, Integer>> splits =
        Map.of("train", counts(200, 200, 1), "val", val, "test", counts(40, 40, 0));
    io.tunelab.workflows.model.DatasetRef d = Fixtures.dataset(counts(200, 200, 1), val, 0);
    d =
        new io.tunelab.workflows.model.DatasetRef(
            d.ingestId(),
            d.manifestKey(),
            d.profileKey(),
            d.shardKeys(),
            d.classes(),
            d.shape(),
            splits,
            0,
            0,
            null);
    Finding f =
        only(
            Fixtures.run(
                Fixtures.state(d, null, Fixtures.arm("finetune", Fixtures.healthyCurve(6)))),
            "class-imbalance");
    assertTrue(
        f.evidence()
            .endsWith("; 'c2' has no test images (the test accuracy does not " + "measure it)"),
        f.evidence());
    assertTrue(f.recommendation().contains("give it at least 3 images"), f.recommendation());
    Finding balanced = only(Fixtures.run(run(counts(300, 300, 90), 0)), "class-imbalance");
    assertFalse(balanced.evidence().contains("no test images"), balanced.evidence());
  }

  @Test
  void oneSmallClassAmongLargeOnesIsImbalanceNotInsufficientData() {
    List<String> codes = codes(Fixtures.run(run(counts(600, 600, 600, 600, 30), 0)));
    assertTrue(codes.contains("class-imbalance"), codes.toString());
    assertFalse(codes.contains("insufficient-data"), codes.toString());
  }

  @Test
  void noDuplicatesNoLeakage() {
    assertFalse(codes(Fixtures.run(run(counts(300, 300), 0))).contains("train-val-leakage"));
  }

  @Test
  void aVideoInTwoSplitsIsLeakageNamingTheVideos() {
    SampleShape clip = SampleShape.clip(1, 16, 32, 32);
    Map<String, Integer> train = counts(32, 32);
    Map<String, Integer> val = counts(8, 8);
    Map<String, Map<String, Integer>> stacks = new LinkedHashMap<>();
    stacks.put("train", train);
    stacks.put("val", val);
    stacks.put("test", val);
    Map<String, Map<String, Integer>> videos = new LinkedHashMap<>();
    videos.put("train", counts(16, 16));
    videos.put("val", counts(4, 4));
    videos.put("test", counts(4, 4));
    List<DuplicatePair> pairs =
        List.of(new DuplicatePair("c0/v000.mp4", "train", "c0/copy.mp4", "val", 0));
    DatasetProfile profile =
        new DatasetProfile(
            "class-folders",
            false,
            List.of("c0", "c1"),
            clip,
            stacks,
            Map.of(),
            1.0,
            Map.of(),
            Map.of(),
            48,
            0,
            List.of(),
            1,
            0,
            pairs,
            0,
            List.of(),
            null,
            new ClipStats(16, 16, 32, videos));
    DatasetRef ref = Fixtures.dataset(train, val, 1);
    DatasetRef clipRef =
        new DatasetRef(
            ref.ingestId(),
            ref.manifestKey(),
            ref.profileKey(),
            ref.shardKeys(),
            ref.classes(),
            clip,
            ref.counts(),
            0,
            1,
            null);
    RunState state =
        Fixtures.state(clipRef, null, Fixtures.arm("finetune", Fixtures.healthyCurve(6)));
    Finding f =
        only(
            Fixtures.run(Fixtures.input(state, profile, null, null, null, null)),
            "train-val-leakage");
    assertEquals("critical", f.severity());
    assertTrue(
        f.evidence()
            .startsWith(
                "1 val/test videos share a stack's worth of decoded frames with videos in an"
                    + " earlier split (6.3% of the 16 val+test videos)"),
        f.evidence());
    assertTrue(f.evidence().contains("train:c0/v000.mp4 = val:c0/copy.mp4"), f.evidence());
    assertTrue(f.recommendation().contains("in one split"), f.recommendation());
  }
}
