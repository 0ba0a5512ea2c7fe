package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleShape;
import java.util.Random;

/**
 * Turns packed uint8 stacks of frames (channels × frames × height × width each) into the network's
 * float32 input of shape (N, C, T, H, W), each stack augmented as a whole when an augmenter is
 * given (one spatial transform for all its frames, see the clip augmenter), each value normalised
 * by its channel's lookup table.
 */
final class ClipBatcher implements SampleBatcher {
  static final ClipBatcher INSTANCE = new ClipBatcher();

  private ClipBatcher() {}

  @Override
  public NDArray inputs(NDManager manager, SampleBatch batch) {
    LabeledImages split = batch.split();
    SampleShape shape = split.shape();
    int c = shape.channels();
    int plane = shape.frames() * shape.height() * shape.width();
    int size = shape.size();
    int n = batch.to() - batch.from();
    float[] data = new float[n * size];
    byte[] pixels = split.pixels();
    Augmenter augmenter = batch.augmenter();
    for (int k = 0; k < n; k++) {
      int index = batch.order() == null ? batch.from() + k : batch.order()[batch.from() + k];
      byte[] src = pixels;
      int offset = index * size;
      if (augmenter != null && augmenter != Augmenter.NONE) {
        src =
            augmenter.apply(
                split.image(index),
                shape,
                new Random(Seeds.augmentSeed(batch.seed(), batch.epoch(), index)));
        offset = 0;
      }
      for (int ch = 0; ch < c; ch++) {
        float[] lut = batch.normalization().lut(ch);
        int s = offset + ch * plane;
        int d = k * size + ch * plane;
        for (int i = 0; i < plane; i++) {
          data[d + i] = lut[src[s + i] & 0xff];
        }
      }
    }
    return manager.create(data, new Shape(n, c, shape.frames(), shape.height(), shape.width()));
  }
}
