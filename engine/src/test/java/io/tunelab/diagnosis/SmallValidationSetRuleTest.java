package io.tunelab.diagnosis;

import static io.tunelab.diagnosis.Fixtures.codes;
import static io.tunelab.diagnosis.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallValidationSetRuleTest {

  static RunState run(int valPerClass, double valAcc) {
    List<EpochMetrics> curve =
        List.of(Fixtures.e(1, 1.0, 0.6, 0.9, valAcc - 0.1), Fixtures.e(2, 0.8, 0.7, 0.7, valAcc));
    return Fixtures.state(
        Fixtures.balanced(5, 300, valPerClass), null, Fixtures.arm("finetune", curve));
  }

  @Test
  void fewImagesPerClassAndAWideIntervalFire() {
    Finding f = only(Fixtures.run(run(20, 0.84)), "small-validation-set");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("validation set of 100 images"), f.evidence());
    assertTrue(f.evidence().contains("(< 30 per class)"), f.evidence());
    assertTrue(f.evidence().contains("Wilson interval of val accuracy 0.840"), f.evidence());
    assertTrue(f.recommendation().contains("at least"), f.recommendation());
  }

  @Test
  void enoughImagesAreSilent() {
    assertFalse(codes(Fixtures.run(run(200, 0.84))).contains("small-validation-set"));
  }

  @Test
  void aWideIntervalAloneFires() {
    // 40 per class is enough per class, but at 50% accuracy 200 images give ±0.068
    Finding f = only(Fixtures.run(run(40, 0.5)), "small-validation-set");
    assertFalse(f.evidence().contains("per class)"), f.evidence());
    assertTrue(f.evidence().contains("(> ± 0.05)"), f.evidence());
    // ± 0.068 is 1.36× the limit: at the edge, so info
    assertEquals("info", f.severity());
    assertTrue(f.evidence().contains("within 1.5× of it, so info"), f.evidence());
  }

  @Test
  void anIntervalClearlyWiderThanTheLimitIsAWarning() {
    // 30 per class at 50% accuracy: 150 images give ± 0.079, 1.58× the limit
    Finding f = only(Fixtures.run(run(30, 0.5)), "small-validation-set");
    assertEquals("warning", f.severity(), f.evidence());
  }

  @Test
  void neededSizeMeetsTheLimit() {
    int n = SmallValidationSetRule.neededSize(0.5);
    assertTrue(NoiseBand.wilson(0.5, n).halfWidth() <= 0.05);
    assertTrue(n > 350 && n < 400, "about 1.96² · 0.25 / 0.05² = 384: " + n);
  }
}
