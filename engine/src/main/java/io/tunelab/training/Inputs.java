package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tunelab.dataset.LabeledImages;

/**
 * Turns a batch of a split's samples into the network's float32 input tensor, through the {@link
 * SampleBatcher} of the data's kind, and its labels into DJL's sparse-label vector. Images become
 * (N, C, H, W) with {@code x = (byte / 255 - mean[c]) / std[c]} under a {@link Normalization}.
 * tunelab's own networks use {@link Normalization#HALF} ({@link #MEAN} = {@link #STD} = 0.5 for
 * every channel, so inputs lie in [-1, 1]); TorchScript modules use {@link Normalization#IMAGENET},
 * the convention of torchvision's pretrained models. When the network's input is larger than the
 * images (ResNets take at least 32x32), each image is centred on a black canvas (pixel value 0
 * after normalisation).
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

  /** Builds the input tensor of a batch, by the {@link SampleBatcher} of its kind of data. */
  static NDArray images(NDManager manager, SampleBatch batch) {
    return SampleBatcher.of(batch.split().shape().kind()).inputs(manager, batch);
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
