package io.tunelab.dataset;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.SampleShape;
import java.util.Random;

/**
 * Augments a stack of frames (packed channels × frames × height × width) as one: the recipe's
 * spatial transform, drawn once, applied to every frame (so the motion between frames is kept), and
 * for {@code standard} and {@code strong} a temporal jitter that shifts the stack by up to one
 * frame either way, repeating the edge frame. No mirror: a leftward motion mirrored is a rightward
 * one, which may be another class.
 *
 * <ul>
 *   <li>{@code light}: a translation of up to 10%.
 *   <li>{@code standard}: a crop of area 0.8 to 1, brightness and contrast up to 0.1, jitter.
 *   <li>{@code strong}: a crop of area 0.6 to 1, translation up to 12.5%, rotation up to 10
 *       degrees, brightness and contrast up to 0.3, jitter.
 * </ul>
 */
public final class ClipAugmenter implements Augmenter {
  private final AugmentationPolicy frames;
  private final boolean jitter;

  private ClipAugmenter(AugmentationPolicy frames, boolean jitter) {
    this.frames = frames;
    this.jitter = jitter;
  }

  /** The clip augmenter of a recipe. */
  public static Augmenter of(Augment recipe) {
    return switch (recipe) {
      case NONE -> Augmenter.NONE;
      case LIGHT ->
          new ClipAugmenter(new AugmentationPolicy("light", false, 0.10, 1.0, 0, 0, 0), false);
      case STANDARD ->
          new ClipAugmenter(new AugmentationPolicy("standard", false, 0, 0.8, 0, 0.1, 0.1), true);
      case STRONG ->
          new ClipAugmenter(
              new AugmentationPolicy("strong", false, 0.125, 0.6, 10, 0.3, 0.3), true);
    };
  }

  @Override
  public byte[] apply(byte[] stack, SampleShape shape, Random rng) {
    if (stack.length != shape.size()) {
      throw new IllegalArgumentException(
          "stack has " + stack.length + " bytes, shape " + shape + " needs " + shape.size());
    }
    int c = shape.channels();
    int t = shape.frames();
    int plane = shape.height() * shape.width();
    SampleShape frameShape = SampleShape.image(c, shape.height(), shape.width());
    int shift = jitter ? rng.nextInt(3) - 1 : 0;
    long spatial = rng.nextLong();
    byte[] out = new byte[stack.length];
    byte[] frame = new byte[c * plane];
    for (int f = 0; f < t; f++) {
      int from = Math.max(0, Math.min(t - 1, f + shift));
      for (int ch = 0; ch < c; ch++) {
        System.arraycopy(stack, (ch * t + from) * plane, frame, ch * plane, plane);
      }
      // the same draw for every frame: one transform for the whole stack
      byte[] moved = frames.apply(frame, frameShape, new Random(spatial));
      for (int ch = 0; ch < c; ch++) {
        System.arraycopy(moved, ch * plane, out, (ch * t + f) * plane, plane);
      }
    }
    return out;
  }
}
