package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A stack of frames is augmented as one: the same spatial transform for every frame. */
class ClipAugmenterTest {
  static final SampleShape SHAPE = SampleShape.clip(3, 6, 12, 12);

  private static byte[] frame(byte[] stack, int f) {
    int plane = SHAPE.height() * SHAPE.width();
    byte[] out = new byte[SHAPE.channels() * plane];
    for (int ch = 0; ch < SHAPE.channels(); ch++) {
      System.arraycopy(stack, (ch * SHAPE.frames() + f) * plane, out, ch * plane, plane);
    }
    return out;
  }

  @Test
  void everyFrameGetsTheSameTransformAndTheDrawIsReproducible() {
    Random random = new Random(1);
    byte[] still = new byte[SHAPE.size()];
    byte[] one = new byte[SHAPE.channels() * SHAPE.height() * SHAPE.width()];
    random.nextBytes(one);
    for (int f = 0; f < SHAPE.frames(); f++) {
      for (int ch = 0; ch < SHAPE.channels(); ch++) {
        int plane = SHAPE.height() * SHAPE.width();
        System.arraycopy(one, ch * plane, still, (ch * SHAPE.frames() + f) * plane, plane);
      }
    }
    for (Augment recipe : new Augment[] {Augment.LIGHT, Augment.STANDARD, Augment.STRONG}) {
      Augmenter clips = DataKind.of(SampleKind.CLIP).augmenter(recipe);
      byte[] out = clips.apply(still, SHAPE, new Random(9));
      assertFalse(Arrays.equals(still, out), recipe + " changes the stack");
      for (int f = 1; f < SHAPE.frames(); f++) {
        assertArrayEquals(frame(out, 0), frame(out, f), recipe + ": frame " + f);
      }
      assertArrayEquals(out, clips.apply(still, SHAPE, new Random(9)), recipe + " reproducible");
    }
    assertSame(Augmenter.NONE, ClipAugmenter.of(Augment.NONE));
  }

  @Test
  void theJitterShiftsTheFramesByAtMostOne() {
    byte[] counted = new byte[SHAPE.size()];
    int plane = SHAPE.height() * SHAPE.width();
    for (int ch = 0; ch < SHAPE.channels(); ch++) {
      for (int f = 0; f < SHAPE.frames(); f++) {
        Arrays.fill(
            counted,
            (ch * SHAPE.frames() + f) * plane,
            (ch * SHAPE.frames() + f + 1) * plane,
            (byte) (100 + 10 * f));
      }
    }
    Augmenter standard = ClipAugmenter.of(Augment.STANDARD);
    java.util.Set<Integer> shifts = new java.util.TreeSet<>();
    int centre = (SHAPE.height() / 2) * SHAPE.width() + SHAPE.width() / 2;
    int last = SHAPE.frames() - 1;
    for (int seed = 0; seed < 30; seed++) {
      byte[] out = standard.apply(counted, SHAPE, new Random(seed));
      int[] v = new int[SHAPE.frames()];
      for (int f = 0; f <= last; f++) {
        v[f] = out[f * plane + centre] & 0xff;
      }
      // One transform for all frames keeps their order; a shift repeats an edge frame.
      int repeats = 0;
      for (int f = 1; f <= last; f++) {
        assertTrue(v[f] >= v[f - 1], "seed " + seed + ": " + Arrays.toString(v));
        repeats += v[f] == v[f - 1] ? 1 : 0;
      }
      assertTrue(repeats <= 1, "seed " + seed + ": " + Arrays.toString(v));
      shifts.add(repeats == 0 ? 0 : v[0] == v[1] ? -1 : 1);
    }
    assertEquals(java.util.Set.of(-1, 0, 1), shifts);
  }
}
