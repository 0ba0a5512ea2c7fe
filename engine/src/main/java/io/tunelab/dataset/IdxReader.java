package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style idx files (images {@code idx3-ubyte}, labels {@code idx1-ubyte}), gzipped or
 * not, as used by MNIST and Fashion-MNIST.
 */
public final class IdxReader {
  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /**
   * Reads an image file and its label file into a grey split.
   *
   * @throws IOException when a file is missing, truncated or not an idx file of the right kind
   */
  public static LabeledImages read(Path images, Path labels) throws IOException {
    int[] labelValues;
    try (DataInputStream in = open(labels)) {
      int magic = in.readInt();
      if (magic != LABELS_MAGIC) {
        throw new IOException(
            labels + ": not an idx1 label file (magic " + Integer.toHexString(magic) + ")");
      }
      int count = in.readInt();
      byte[] raw = new byte[count];
      in.readFully(raw);
      labelValues = new int[count];
      for (int i = 0; i < count; i++) {
        labelValues[i] = raw[i] & 0xff;
      }
    }
    try (DataInputStream in = open(images)) {
      int magic = in.readInt();
      if (magic != IMAGES_MAGIC) {
        throw new IOException(
            images + ": not an idx3 image file (magic " + Integer.toHexString(magic) + ")");
      }
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      if (count != labelValues.length) {
        throw new IOException(
            images
                + " has "
                + count
                + " images but "
                + labels
                + " has "
                + labelValues.length
                + " labels");
      }
      SampleShape shape = SampleShape.image(1, rows, cols);
      byte[] pixels = new byte[count * rows * cols];
      in.readFully(pixels);
      return new LabeledImages(shape, pixels, labelValues);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (file.getFileName().toString().endsWith(".gz")) {
      raw = new GZIPInputStream(raw, 1 << 16);
    }
    return new DataInputStream(raw);
  }
}
