package io.tunelab.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.SampleShape;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The harness's arithmetic and recipes without training: scoring per code (planted, allowed,
 * false), the pixel transforms, the digits upscaling and the case list's own consistency.
 */
class DiagnosisHarnessTest {
  private static final SampleShape SHAPE = SampleShape.image(1, 8, 8);

  private static HarnessCase kase(Set<String> planted, Map<String, String> allowed) {
    return new HarnessCase(
        "c", planted, allowed, "test", Set.of(), (d, dir) -> null, Map.of(), HarnessCase.Model.OWN);
  }

  private static HarnessFinding f(String code, String severity) {
    return new HarnessFinding(code, severity, "data", code);
  }

  @Test
  void scoresPlantedAllowedAndFalseCodesAtBothThresholds() {
    FindingScore score = new FindingScore();
    HarnessCase noise = kase(Set.of("label-noise"), Map.of("overfitting", "memorised"));
    // Raised as a warning: TP at both thresholds; the allowed code counts for nothing.
    score.add(
        new FindingScore.Judged(
            noise, List.of(f("label-noise", "warning"), f("overfitting", "warning"))));
    // Only info: a miss when counting warnings, a hit when counting any severity.
    score.add(new FindingScore.Judged(noise, List.of(f("label-noise", "info"))));
    // A clean case with a warning that was not allowed: a false positive; "healthy" never counts.
    score.add(
        new FindingScore.Judged(
            kase(Set.of(), Map.of()), List.of(f("domain-shift", "warning"), f("healthy", "info"))));
    List<String> table = score.table();
    assertTrue(
        table.contains("| `label-noise` | 2 | 1.00 (1/0) | 0.50 (1/1) | 1.00 (2/0) | 1.00 (2/0) |"),
        String.join("\n", table));
    assertTrue(
        table.contains("| `domain-shift` | 0 | 0.00 (0/1) | – (0/0) | 0.00 (0/1) | – (0/0) |"),
        String.join("\n", table));
    assertFalse(String.join("\n", table).contains("overfitting"));
    assertFalse(String.join("\n", table).contains("`healthy`"));
    assertEquals("domain-shift", score.worstPrecision().getKey());
    assertEquals(0.5, score.worstRecall().getValue(), 1e-9);
  }

  @Test
  void aCaseCannotPlantAndAllowTheSameCodeNorAllowWithoutAReason() {
    assertThrows(
        IllegalArgumentException.class,
        () -> kase(Set.of("overfitting"), Map.of("overfitting", "why")));
    assertThrows(IllegalArgumentException.class, () -> kase(Set.of(), Map.of("overfitting", " ")));
  }

  @Test
  void caseNamesAreUniqueAndEveryCleanCaseHasNothingPlanted() {
    Set<String> names = new HashSet<>();
    for (HarnessCase c : HarnessCases.all()) {
      assertTrue(names.add(c.name()), "duplicate case " + c.name());
    }
    assertTrue(names.containsAll(List.of("healthy", "healthy-defaults", "small-new-task")));
    assertTrue(
        HarnessCases.all().stream()
            .filter(HarnessCase::clean)
            .noneMatch(c -> c.allowed().containsKey("domain-shift")),
        "a clean case may not excuse domain-shift");
  }

  @Test
  void rotatesAQuarterTurnClockwiseInvertsAndScramblesByOnePermutation() {
    byte[] image = new byte[64];
    for (int i = 0; i < 64; i++) {
      image[i] = (byte) i;
    }
    byte[] turned = PixelTransform.apply(PixelTransform.ROTATE90, image.clone(), SHAPE);
    // Clockwise: the top-left corner goes to the top-right, the top-right to the bottom-right.
    assertEquals(0, turned[7]);
    assertEquals(7, turned[63]);
    assertEquals(56, turned[0]);
    assertEquals((byte) 255, PixelTransform.apply(PixelTransform.INVERT, image.clone(), SHAPE)[0]);
    byte[] a = PixelTransform.apply(PixelTransform.SCRAMBLE, image.clone(), SHAPE);
    byte[] b = PixelTransform.apply(PixelTransform.SCRAMBLE, image.clone(), SHAPE);
    assertArrayEquals(a, b, "the same permutation every time");
    byte[] sorted = a.clone();
    java.util.Arrays.sort(sorted);
    assertArrayEquals(image, sorted, "a permutation keeps every pixel");
  }

  @Test
  void upscalesDigitsKeepingConstantImagesConstant() {
    double[] flat = new double[64];
    java.util.Arrays.fill(flat, 255.0);
    byte[] big = DigitsImages.upscale(flat);
    assertEquals(28 * 28, big.length);
    for (byte v : big) {
      assertEquals(255, v & 0xff);
    }
  }
}
