package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Reads and writes packed shards: a small header (magic, version, count, channels, height, width),
 * then every label as an int, then every image's bytes.
 */
public final class ShardCodec {
  private static final int MAGIC = 0x544c5348; // "TLSH"
  private static final int VERSION = 1;

  private ShardCodec() {}

  /** Encodes a split into shard bytes. */
  public static byte[] encode(LabeledImages images) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(images.pixels().length + 64);
    try {
      write(images, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes a split as a shard to a stream. */
  public static void write(LabeledImages images, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    SampleShape s = images.shape();
    data.writeInt(MAGIC);
    data.writeInt(VERSION);
    data.writeInt(images.size());
    data.writeInt(s.channels());
    data.writeInt(s.height());
    data.writeInt(s.width());
    for (int label : images.labels()) {
      data.writeInt(label);
    }
    data.write(images.pixels());
    data.flush();
  }

  /** Decodes shard bytes. */
  public static LabeledImages decode(byte[] shard) throws IOException {
    return read(new ByteArrayInputStream(shard));
  }

  /**
   * Reads a shard from a stream.
   *
   * @throws IOException when the stream is not a complete shard
   */
  public static LabeledImages read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readInt() != MAGIC) {
      throw new IOException("not a tunelab shard (bad magic number)");
    }
    int version = data.readInt();
    if (version != VERSION) {
      throw new IOException("unsupported shard version " + version);
    }
    int count = data.readInt();
    SampleShape shape = SampleShape.image(data.readInt(), data.readInt(), data.readInt());
    if (count < 0 || (long) count * shape.size() > Integer.MAX_VALUE - 64) {
      throw new IOException("shard too large: " + count + " images of " + shape);
    }
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = data.readInt();
    }
    byte[] pixels = new byte[count * shape.size()];
    data.readFully(pixels);
    return new LabeledImages(shape, pixels, labels);
  }
}
