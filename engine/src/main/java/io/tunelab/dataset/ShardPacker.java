package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.util.List;

/** Packs a split's accepted images into one {@link LabeledImages} of the stored shape. */
final class ShardPacker {
  private ShardPacker() {}

  /** The images, in the given order, with their pixels in {@code shape}'s channel count. */
  static LabeledImages pack(List<AcceptedImage> images, SampleShape shape) {
    int size = shape.size();
    byte[] pixels = new byte[images.size() * size];
    int[] labels = new int[images.size()];
    for (int i = 0; i < images.size(); i++) {
      AcceptedImage a = images.get(i);
      System.arraycopy(a.image().pixels(shape.channels()), 0, pixels, i * size, size);
      labels[i] = a.label();
    }
    return new LabeledImages(shape, pixels, labels);
  }
}
