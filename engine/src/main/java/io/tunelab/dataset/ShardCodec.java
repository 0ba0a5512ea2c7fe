package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes packed shards: a small header (magic, version, count, then the sample shape),
 * then every label as an int, then every sample's bytes. Images are written as version 1, whose
 * shape is channels, height and width, as they always were; clips as version 2, whose shape is the
 * kind and its dimensions (channels, frames, height, width).
 */
public final class ShardCodec {
  private static final int MAGIC = 0x544c5348; // "TLSH"
  private static final int VERSION = 1;
  private static final int VERSION_WITH_KIND = 2;

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
    if (s.kind() == SampleKind.IMAGE) {
      data.writeInt(VERSION);
      data.writeInt(images.size());
      data.writeInt(s.channels());
      data.writeInt(s.height());
      data.writeInt(s.width());
    } else {
      data.writeInt(VERSION_WITH_KIND);
      data.writeInt(images.size());
      data.writeInt(s.kind().ordinal());
      data.writeInt(s.dims().size());
      for (int d : s.dims()) {
        data.writeInt(d);
      }
    }
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
    if (version != VERSION && version != VERSION_WITH_KIND) {
      throw new IOException("unsupported shard version " + version);
    }
    int count = data.readInt();
    SampleShape shape;
    try {
      shape =
          version == VERSION
              ? SampleShape.image(data.readInt(), data.readInt(), data.readInt())
              : kindShape(data);
    } catch (IllegalArgumentException e) {
      throw new IOException("damaged shard header: " + e.getMessage(), e);
    }
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

  private static SampleShape kindShape(DataInputStream data) throws IOException {
    int kind = data.readInt();
    int rank = data.readInt();
    if (kind < 0 || kind >= SampleKind.values().length || rank < 1 || rank > 8) {
      throw new IOException("damaged shard header: kind " + kind + ", " + rank + " dimensions");
    }
    List<Integer> dims = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      dims.add(data.readInt());
    }
    return new SampleShape(SampleKind.values()[kind], dims);
  }
}
