package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleShape;
import java.util.Random;

/**
 * Turns packed uint8 images into the network's float32 input tensor of shape (N, C, H, W): each
 * image augmented when an augmenter is given, each value normalised by the channel's lookup table,
 * and each image centred on a black canvas when the network's input is larger than the images
 * (ResNets take at least 32x32).
 */
final class ImageBatcher implements SampleBatcher {
  static final ImageBatcher INSTANCE = new ImageBatcher();

  private ImageBatcher() {}

  @Override
  public NDArray inputs(NDManager manager, SampleBatch batch) {
    LabeledImages split = batch.split();
    int[] order = batch.order();
    int from = batch.from();
    int to = batch.to();
    SampleShape input = batch.input();
    Inputs.Normalization normalization = batch.normalization();
    Augmenter augmenter = batch.augmenter();
    long seed = batch.seed();
    int epoch = batch.epoch();
    SampleShape shape = split.shape();
    int c = shape.channels();
    int h = shape.height();
    int w = shape.width();
    int ih = input.height();
    int iw = input.width();
    int top = (ih - h) / 2;
    int left = (iw - w) / 2;
    boolean padded = ih != h || iw != w;
    int n = to - from;
    int perImage = input.size();
    float[] data = new float[n * perImage];
    if (padded) {
      for (int k = 0; k < n; k++) {
        for (int ch = 0; ch < c; ch++) {
          int plane = k * perImage + ch * ih * iw;
          java.util.Arrays.fill(data, plane, plane + ih * iw, normalization.lut(ch)[0]);
        }
      }
    }
    byte[] pixels = split.pixels();
    int srcSize = shape.size();
    for (int k = 0; k < n; k++) {
      int index = order == null ? from + k : order[from + k];
      byte[] src = pixels;
      int srcOffset = index * srcSize;
      if (augmenter != null && augmenter != Augmenter.NONE) {
        src =
            augmenter.apply(
                split.image(index), shape, new Random(Seeds.augmentSeed(seed, epoch, index)));
        if (src == null || src.length != srcSize) {
          throw new IllegalStateException(
              "augmenter returned "
                  + (src == null ? "null" : src.length + " bytes")
                  + " for a "
                  + shape
                  + " image ("
                  + srcSize
                  + " bytes)");
        }
        srcOffset = 0;
      }
      int dst = k * perImage;
      for (int ch = 0; ch < c; ch++) {
        float[] lut = normalization.lut(ch);
        for (int y = 0; y < h; y++) {
          int s = srcOffset + (ch * h + y) * w;
          int d = dst + (ch * ih + y + top) * iw + left;
          for (int x = 0; x < w; x++) {
            data[d + x] = lut[src[s + x] & 0xff];
          }
        }
      }
    }
    return manager.create(data, new Shape(n, c, ih, iw));
  }
}
