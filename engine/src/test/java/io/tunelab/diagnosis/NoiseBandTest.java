package io.tunelab.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.EpochMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoiseBandTest {

  @Test
  void wilsonMatchesTextbookValues() {
    NoiseBand.Interval half = NoiseBand.wilson(0.5, 100);
    assertEquals(0.4038, half.low(), 1e-4);
    assertEquals(0.5962, half.high(), 1e-4);
    NoiseBand.Interval zero = NoiseBand.wilson(0.0, 10);
    assertEquals(0.0, zero.low(), 1e-9);
    assertEquals(0.2775, zero.high(), 1e-4);
  }

  @Test
  void wilsonNarrowsWithTheSquareRootOfSize() {
    double small = NoiseBand.wilson(0.8, 100).halfWidth();
    double large = NoiseBand.wilson(0.8, 10_000).halfWidth();
    assertEquals(10, small / large, 0.3);
  }

  @Test
  void bootstrapIsDeterministicAndNearTheStandardError() {
    float[] values = new float[100];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    double a = NoiseBand.bootstrapHalfWidth(values, 7);
    double b = NoiseBand.bootstrapHalfWidth(values, 7);
    assertEquals(a, b, 0.0);
    double expected = NoiseBand.Z * 28.866 / 10;
    assertEquals(expected, a, 0.1 * expected);
    assertNotEquals(a, NoiseBand.bootstrapHalfWidth(values, 8));
  }

  @Test
  void analyticLossBandShrinksWithSizeAndGrowsWithRareErrors() {
    double n100 = NoiseBand.analyticLossHalfWidth(0.4, 0.85, 100);
    double n10000 = NoiseBand.analyticLossHalfWidth(0.4, 0.85, 10_000);
    assertEquals(10, n100 / n10000, 1e-9);
    assertTrue(NoiseBand.analyticLossHalfWidth(0.4, 0.99, 100) > n100);
  }

  @Test
  void usesBootstrapWhenPredictionsExist() {
    EpochPredictions p = Fixtures.sameConfidence(3, 400, 4, 0.9, 0.9);
    EpochMetrics m = Fixtures.metrics(p, 0.2, 0.95);
    NoiseBand withPredictions = new NoiseBand(400, Map.of(3, p));
    NoiseBand metricsOnly = new NoiseBand(400, Map.of());
    // per-image losses take two values: −ln 0.9 (360 images) and −ln(0.1 / 3) (40 images)
    double right = -Math.log(0.9);
    double wrong = -Math.log(0.1 / 3);
    double sd = Math.sqrt(0.9 * 0.1) * (wrong - right);
    double expected = NoiseBand.Z * sd / Math.sqrt(400);
    assertEquals(expected, withPredictions.loss(m), 0.1 * expected);
    assertNotEquals(withPredictions.loss(m), metricsOnly.loss(m), 1e-6);
    assertTrue(withPredictions.describe().contains("bootstrap"));
    assertTrue(metricsOnly.describe().contains("approximated"));
  }

  @Test
  void unknownSizeAssumesTheConservativeDefault() {
    EpochMetrics m = Fixtures.e(2, 0.3, 0.9, 0.4, 0.85);
    NoiseBand unknown = new NoiseBand(0, Map.of());
    assertEquals(
        NoiseBand.wilson(0.85, NoiseBand.DEFAULT_VALIDATION_SIZE).halfWidth(),
        unknown.acc(m),
        1e-12);
    assertTrue(unknown.describe().contains("unknown"));
  }
}
