package io.tunelab.diagnosis;

import static io.tunelab.diagnosis.Fixtures.codes;
import static io.tunelab.diagnosis.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.DatasetProfile;
import io.tunelab.dataset.PixelStats;
import io.tunelab.dataset.SourceStats;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainShiftRuleTest {
  static final long[] DARK = {600, 100, 50, 40, 30, 20, 20, 20, 20, 20, 20, 20, 20, 20, 30, 70};
  static final long[] BRIGHT = {20, 20, 20, 20, 30, 30, 40, 50, 60, 80, 90, 100, 110, 120, 130, 80};

  static DiagnosisInput input(PixelStats target, SourceStats source, Double probe) {
    RunState state =
        Fixtures.state(
            Fixtures.balanced(5, 300, 200),
            null,
            Fixtures.arm("finetune", Fixtures.healthyCurve(6)));
    DatasetProfile profile =
        Fixtures.profile(
            Fixtures.perClass(5, 300),
            Fixtures.perClass(5, 200),
            target,
            0,
            List.of(),
            0,
            List.of());
    ProbeResults probes = probe == null ? null : new ProbeResults(null, probe, null, null, null);
    return Fixtures.input(state, profile, null, null, source, probes);
  }

  @Test
  void distantPixelStatisticsAreDomainShift() {
    Finding f =
        only(
            Fixtures.run(
                input(Fixtures.pixels(170, 60, BRIGHT), new SourceStats(60, 80, DARK), null)),
            "domain-shift");
    assertEquals("warning", f.severity());
    assertEquals("finetune", f.arm());
    assertTrue(f.evidence().contains("mean difference 1.38 source stds"), f.evidence());
    assertTrue(f.evidence().contains("Jensen–Shannon divergence"), f.evidence());
  }

  @Test
  void similarPixelsAreSilent() {
    assertFalse(
        codes(
                Fixtures.run(
                    input(Fixtures.pixels(62, 78, DARK), new SourceStats(60, 80, DARK), null)))
            .contains("domain-shift"));
  }

  @Test
  void aLinearProbeFarBelowFineTuningIsFeatureShift() {
    // the healthy curve peaks at val accuracy 0.80; the probe reaches 0.55
    Finding f =
        only(
            Fixtures.run(input(Fixtures.pixels(62, 78, DARK), new SourceStats(60, 80, DARK), 0.55)),
            "domain-shift");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("gap +0.250"), f.evidence());
  }

  @Test
  void mildPixelShiftWithFeaturesThatTransferIsInfo() {
    // mean 0.63 source stds away, same histogram shape: beyond the limit, within twice it
    Finding f =
        only(
            Fixtures.run(
                input(Fixtures.pixels(110, 80, DARK), new SourceStats(60, 80, DARK), 0.79)),
            "domain-shift");
    assertEquals("info", f.severity());
  }

  @Test
  void strongPixelShiftIsAWarningEvenWhenANewHeadCopes() {
    // inverted-like images: the probe keeps up, but inputs are normalised with the wrong statistics
    Finding f =
        only(
            Fixtures.run(
                input(Fixtures.pixels(170, 60, BRIGHT), new SourceStats(60, 80, DARK), 0.79)),
            "domain-shift");
    assertEquals("warning", f.severity());
  }

  @Test
  void divergencesOfIdenticalAndDisjointHistograms() {
    double[] a = {0.5, 0.5, 0, 0};
    double[] b = {0, 0, 0.5, 0.5};
    assertEquals(0, DomainShiftRule.jensenShannon(a, a), 1e-12);
    assertEquals(1, DomainShiftRule.jensenShannon(a, b), 1e-12);
    assertEquals(1, DomainShiftRule.totalVariation(a, b), 1e-12);
  }
}
