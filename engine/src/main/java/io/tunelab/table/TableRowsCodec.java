package io.tunelab.table;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The binary form of a table's split, stored at the same shard keys images use: the magic {@code
 * TLTB}, a format version, the feature names, the row count, the values, the labels and the
 * origins, then a CRC-32 of everything before it, so that a truncated or damaged shard is refused
 * with a clear message rather than read as wrong numbers. Origins that all name lines of one file
 * ({@link RowOrigins}) are stored as the file and one line number per row, others as strings. The
 * blob is written into one array of its exact size: a split of millions of rows costs its size
 * once, not the several copies a growing stream makes.
 */
public final class TableRowsCodec {
  private static final int MAGIC = 0x544C5442; // "TLTB"
  private static final int VERSION = 1;
  private static final byte STRINGS = 0;
  private static final byte LINES = 1;

  private TableRowsCodec() {}

  /** The bytes of a split. */
  public static byte[] encode(TableRows rows) {
    List<byte[]> names = new ArrayList<>();
    long size = 4 + 4 + 4 + 4 + 1 + 8;
    for (String name : rows.featureNames()) {
      names.add(utf8(name));
      size += 4 + names.get(names.size() - 1).length;
    }
    size += 4L * rows.values().length + 4L * rows.size();
    RowOrigins lines = rows.origins() instanceof RowOrigins r ? r : null;
    if (lines != null) {
      size += 4 + utf8(lines.file()).length + 4L * rows.size();
    } else {
      for (String origin : rows.origins()) {
        size += 4 + utf8(origin).length;
      }
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a table shard cannot exceed 2 GB: " + size + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    out.putInt(MAGIC).putInt(VERSION).putInt(rows.features());
    names.forEach(n -> out.putInt(n.length).put(n));
    out.putInt(rows.size());
    out.asFloatBuffer().put(rows.values());
    out.position(out.position() + 4 * rows.values().length);
    out.asIntBuffer().put(rows.labels());
    out.position(out.position() + 4 * rows.size());
    if (lines != null) {
      byte[] file = utf8(lines.file());
      out.put(LINES).putInt(file.length).put(file);
      for (int i = 0; i < rows.size(); i++) {
        out.putInt(lines.line(i));
      }
    } else {
      out.put(STRINGS);
      for (String origin : rows.origins()) {
        byte[] o = utf8(origin);
        out.putInt(o.length).put(o);
      }
    }
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, out.position());
    out.putLong(crc.getValue());
    return out.array();
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
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt() != MAGIC) {
      throw corrupt("it does not start with TLTB");
    }
    int version = in.getInt();
    if (version != VERSION) {
      throw corrupt("format version " + version + ", this build reads " + VERSION);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    if (ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() != crc.getValue()) {
      throw corrupt("checksum mismatch (truncated or damaged)");
    }
    try {
      int features = count(in.getInt(), "features", bytes.length);
      List<String> names = new ArrayList<>(features);
      for (int i = 0; i < features; i++) {
        names.add(readString(in));
      }
      int rows = count(in.getInt(), "rows", bytes.length);
      float[] values = new float[count(Math.multiplyExact(rows, features), "values", bytes.length)];
      in.asFloatBuffer().get(values);
      in.position(in.position() + 4 * values.length);
      int[] labels = new int[rows];
      in.asIntBuffer().get(labels);
      in.position(in.position() + 4 * rows);
      List<String> origins;
      byte mode = in.get();
      if (mode == LINES) {
        String file = readString(in);
        int[] lines = new int[rows];
        in.asIntBuffer().get(lines);
        in.position(in.position() + 4 * rows);
        origins = new RowOrigins(file, lines);
      } else if (mode == STRINGS) {
        origins = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
          origins.add(readString(in));
        }
      } else {
        throw corrupt("unknown origin mode " + mode);
      }
      if (in.remaining() != 8) {
        throw corrupt((in.remaining() - 8) + " bytes left over after the rows");
      }
      return new TableRows(names, values, labels, origins);
    } catch (BufferUnderflowException | IndexOutOfBoundsException | ArithmeticException e) {
      throw corrupt("truncated (" + e + ")");
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("table shard is corrupt")) {
        throw e;
      }
      throw corrupt(e.getMessage());
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String readString(ByteBuffer in) {
    byte[] utf8 = new byte[count(in.getInt(), "string bytes", in.remaining())];
    in.get(utf8);
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
