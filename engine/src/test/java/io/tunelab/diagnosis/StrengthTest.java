package io.tunelab.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StrengthTest {
  @Test
  void withinOneAndAHalfTimesTheThresholdIsInfo() {
    Strength edge = new Strength(0.149, 0.1, "the paired noise");
    assertFalse(edge.clear());
    assertEquals("info", edge.severity("warning"));
    assertEquals("1.49× the paired noise: within 1.5× of it, so info", edge.describe());
    // exactly 1.5× is still the edge
    assertEquals("info", new Strength(0.15, 0.1, "the paired noise").severity("warning"));
  }

  @Test
  void beyondOneAndAHalfTimesTheRulesSeverityStands() {
    Strength clear = new Strength(0.151, 0.1, "the paired noise");
    assertTrue(clear.clear());
    assertEquals("warning", clear.severity("warning"));
    assertEquals("critical", clear.severity("critical"));
    assertEquals("1.51× the paired noise", clear.describe());
  }

  @Test
  void weakerAndStrongerPickByRatio() {
    Strength a = new Strength(1.2, 1, "a");
    Strength b = new Strength(4, 2, "b");
    assertSame(a, a.weaker(b));
    assertSame(a, b.weaker(a));
    assertSame(b, a.stronger(b));
    assertSame(a, a.weaker(null));
    assertSame(a, a.stronger(null));
  }

  @Test
  void aThresholdMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Strength(1, 0, "x"));
    assertTrue(e.getMessage().contains("threshold must be"), e.getMessage());
  }
}
