package io.tunelab.table;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The binary form of a table's split, stored at the same shard keys images use: the magic {@code
 * TLTB}, a format version, the feature names, the row count, the values, the labels and the
 * origins, then a CRC-32 of everything before it, so that a truncated or damaged shard is refused
 * with a clear message rather than read as wrong numbers.
 */
public final class TableRowsCodec {
  private static final int MAGIC = 0x544C5442; // "TLTB"
  private static final int VERSION = 1;

  private TableRowsCodec() {}

  /** The bytes of a split. */
  public static byte[] encode(TableRows rows) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + rows.values().length * 5);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(rows.features());
      for (String name : rows.featureNames()) {
        writeString(out, name);
      }
      out.writeInt(rows.size());
      for (float v : rows.values()) {
        out.writeFloat(v);
      }
      for (int label : rows.labels()) {
        out.writeInt(label);
      }
      for (String origin : rows.origins()) {
        writeString(out, origin);
      }
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads bytes written by {@link #encode}.
   *
   * @throws IllegalArgumentException when the bytes are not a table shard of this version, or are
   *     truncated or damaged
   */
  public static TableRows decode(byte[] bytes) {
    if (bytes.length < 8 + 8) {
      throw corrupt("only " + bytes.length + " bytes");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    long stored = 0;
    for (int i = bytes.length - 8; i < bytes.length; i++) {
      stored = (stored << 8) | (bytes[i] & 0xFF);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC) {
        throw corrupt("it does not start with TLTB");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw corrupt("format version " + version + ", this build reads " + VERSION);
      }
      if (stored != crc.getValue()) {
        throw corrupt("checksum mismatch (truncated or damaged)");
      }
      int features = count(in.readInt(), "features", bytes.length);
      List<String> names = new ArrayList<>(features);
      for (int i = 0; i < features; i++) {
        names.add(readString(in, bytes.length));
      }
      int rows = count(in.readInt(), "rows", bytes.length);
      float[] values = new float[Math.multiplyExact(rows, features)];
      for (int i = 0; i < values.length; i++) {
        values[i] = in.readFloat();
      }
      int[] labels = new int[rows];
      for (int i = 0; i < rows; i++) {
        labels[i] = in.readInt();
      }
      List<String> origins = new ArrayList<>(rows);
      for (int i = 0; i < rows; i++) {
        origins.add(readString(in, bytes.length));
      }
      origins = compact(origins);
      if (in.available() != 8) {
        throw corrupt((in.available() - 8) + " bytes left over after the rows");
      }
      return new TableRows(names, values, labels, origins);
    } catch (IOException | ArithmeticException e) {
      throw corrupt("truncated (" + e + ")");
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("table shard is corrupt")) {
        throw e;
      }
      throw corrupt(e.getMessage());
    }
  }

  /** The origins as {@link RowOrigins} when they all name lines of one file. */
  private static List<String> compact(List<String> origins) {
    if (origins.isEmpty()) {
      return origins;
    }
    String first = origins.get(0);
    String file = first.substring(0, Math.max(0, first.lastIndexOf(':')));
    int[] lines = new int[origins.size()];
    for (int i = 0; i < lines.length; i++) {
      String o = origins.get(i);
      int colon = o.lastIndexOf(':');
      if (colon != file.length() || !o.startsWith(file)) {
        return origins;
      }
      try {
        lines[i] = Integer.parseInt(o.substring(colon + 1));
      } catch (NumberFormatException e) {
        return origins;
      }
      if (!o.equals(file + ":" + lines[i])) {
        return origins;
      }
    }
    return new RowOrigins(file, lines);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in, int limit) throws IOException {
    byte[] utf8 = new byte[count(in.readInt(), "string bytes", limit)];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /** A count read from the blob, refused when it is negative or larger than the blob itself. */
  private static int count(int n, String what, int limit) {
    if (n < 0 || n > limit) {
      throw corrupt(what + " count " + n + " does not fit a blob of " + limit + " bytes");
    }
    return n;
  }

  private static IllegalArgumentException corrupt(String why) {
    return new IllegalArgumentException("table shard is corrupt: " + why);
  }
}
