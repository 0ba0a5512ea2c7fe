package io.tunelab.training;

import io.tunelab.dataset.IdxReader;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Real Fashion-MNIST for tests, read once per JVM, and small helpers to cut subsets. */
public final class FashionMnist {
  private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
  private static LabeledImages train;
  private static LabeledImages test;

  private FashionMnist() {}

  public static synchronized LabeledImages train() {
    if (train == null) {
      train = read("train");
    }
    return train;
  }

  public static synchronized LabeledImages test() {
    if (test == null) {
      test = read("t10k");
    }
    return test;
  }

  private static LabeledImages read(String prefix) {
    try {
      return IdxReader.read(
          DIR.resolve(prefix + "-images-idx3-ubyte.gz"),
          DIR.resolve(prefix + "-labels-idx1-ubyte.gz"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The first {@code count} images of {@code source} starting at {@code start} whose label lies in
   * {@code [lo, hi]}, relabelled {@code label - lo}.
   */
  public static LabeledImages subset(LabeledImages source, int start, int count, int lo, int hi) {
    SampleShape shape = source.shape();
    int size = shape.size();
    byte[] pixels = new byte[count * size];
    int[] labels = new int[count];
    int k = 0;
    for (int i = start; i < source.size() && k < count; i++) {
      int label = source.label(i);
      if (label >= lo && label <= hi) {
        System.arraycopy(source.pixels(), i * size, pixels, k * size, size);
        labels[k++] = label - lo;
      }
    }
    if (k < count) {
      throw new IllegalArgumentException("only " + k + " images with labels " + lo + ".." + hi);
    }
    return new LabeledImages(shape, pixels, labels);
  }

  /** The first {@code count} images from {@code start}, all ten classes. */
  public static LabeledImages subset(LabeledImages source, int start, int count) {
    return subset(source, start, count, 0, 9);
  }

  /** Training parameters for tests; learning rate and schedule are not used by EpochTrainer. */
  public static TrainingParams params(String optimizer, String freeze, long seed, int batch) {
    return TrainingParams.builder()
        .epochs(3)
        .batchSize(batch)
        .learningRate(1e-3)
        .optimizer(Optimizer.parse(optimizer))
        .freeze(Freeze.parse(freeze))
        .seed(seed)
        .device(Device.CPU)
        .build();
  }
}
