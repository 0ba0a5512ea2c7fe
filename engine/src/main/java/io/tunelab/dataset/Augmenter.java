package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.util.Random;

/**
 * Turns one training image into an augmented variant. Implementations are deterministic for a given
 * random source, so a resumed epoch sees the same images.
 */
@FunctionalInterface
public interface Augmenter {
  /** The identity: no augmentation. */
  Augmenter NONE = (image, shape, rng) -> image;

  /**
   * Returns the augmented image (a new array, or {@code image} itself when unchanged).
   *
   * @param image packed CHW bytes of one image
   * @param shape its shape
   * @param rng the random source for this image in this epoch
   */
  byte[] apply(byte[] image, SampleShape shape, Random rng);
}
