package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleShape;
import java.util.Random;

/**
 * Turns packed uint8 images into the network's float32 input tensor of shape (N, C, H, W): {@code x
 * = (byte / 255 - mean[c]) / std[c]} under a {@link Normalization}. tunelab's own networks use
 * {@link Normalization#HALF} ({@link #MEAN} = {@link #STD} = 0.5 for every channel, so inputs lie
 * in [-1, 1]); TorchScript modules use {@link Normalization#IMAGENET}, the convention of
 * torchvision's pretrained models. When the network's input is larger than the images (ResNets take
 * at least 32x32), each image is centred on a black canvas (pixel value 0 after normalisation).
 */
public final class Inputs {
  /** The mean subtracted from every channel after scaling to [0, 1] under {@code HALF}. */
  public static final float MEAN = 0.5f;

  /** The standard deviation every channel is divided by under {@code HALF}. */
  public static final float STD = 0.5f;

  /** Per-channel mean and standard deviation applied to pixel values scaled to [0, 1]. */
  public enum Normalization {
    /** 0.5 and 0.5 for every channel: inputs in [-1, 1] (tunelab's own networks). */
    HALF(new float[] {MEAN, MEAN, MEAN}, new float[] {STD, STD, STD}),
    /**
     * torchvision's ImageNet statistics: means 0.485, 0.456, 0.406 and standard deviations 0.229,
     * 0.224, 0.225 for red, green and blue (grey images use the red channel's).
     */
    IMAGENET(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    private final float[][] luts = new float[3][256];

    Normalization(float[] mean, float[] std) {
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < 256; i++) {
          luts[c][i] = (i / 255f - mean[c]) / std[c];
        }
      }
    }

    /** The normalised value of each byte value in channel {@code channel}. */
    float[] lut(int channel) {
      return luts[Math.min(channel, 2)];
    }
  }

  private Inputs() {}

  /**
   * Builds the input tensor for the images {@code order[from..to)} of a split.
   *
   * @param augmenter applied to each image with a {@link Random} seeded from (seed, epoch, image
   *     index), or {@code null} for none
   */
  static NDArray images(
      NDManager manager,
      LabeledImages split,
      int[] order,
      int from,
      int to,
      SampleShape input,
      Normalization normalization,
      Augmenter augmenter,
      long seed,
      int epoch) {
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

  /** The labels of {@code order[from..to)} as a float32 vector (DJL's sparse-label format). */
  static NDArray labels(NDManager manager, LabeledImages split, int[] order, int from, int to) {
    float[] labels = new float[to - from];
    for (int k = 0; k < labels.length; k++) {
      labels[k] = split.label(order == null ? from + k : order[from + k]);
    }
    return manager.create(labels);
  }
}
