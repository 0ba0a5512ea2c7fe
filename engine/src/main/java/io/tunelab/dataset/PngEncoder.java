package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes one packed CHW image as a minimal PNG: 8-bit grey for one channel, 8-bit RGB for three,
 * no filtering, no interlacing, no ancillary chunks. It is a tenth of the cost of {@code ImageIO}'s
 * writer for small images, which matters when tens of thousands of idx images are presented as
 * files. The output is the same for the same pixels.
 */
public final class PngEncoder {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};

  private PngEncoder() {}

  /**
   * Encodes an image.
   *
   * @throws IllegalArgumentException when the shape has neither one nor three channels, or the
   *     pixels do not fit the shape
   */
  public static byte[] encode(byte[] pixels, SampleShape shape) {
    int c = shape.channels();
    int w = shape.width();
    int h = shape.height();
    if ((c != 1 && c != 3) || pixels.length != shape.size()) {
      throw new IllegalArgumentException(
          "cannot encode " + pixels.length + " bytes as a " + shape + " PNG");
    }
    byte[] raw = new byte[h * (1 + w * c)];
    int plane = w * h;
    for (int y = 0; y < h; y++) {
      int row = y * (1 + w * c);
      raw[row] = 0; // filter: none
      if (c == 1) {
        System.arraycopy(pixels, y * w, raw, row + 1, w);
      } else {
        for (int x = 0; x < w; x++) {
          int src = y * w + x;
          int dst = row + 1 + 3 * x;
          raw[dst] = pixels[src];
          raw[dst + 1] = pixels[plane + src];
          raw[dst + 2] = pixels[2 * plane + src];
        }
      }
    }
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    ByteArrayOutputStream idat = new ByteArrayOutputStream(raw.length / 2 + 64);
    try {
      deflater.setInput(raw);
      deflater.finish();
      byte[] buffer = new byte[Math.max(256, raw.length)];
      while (!deflater.finished()) {
        idat.write(buffer, 0, deflater.deflate(buffer));
      }
    } finally {
      deflater.end();
    }
    byte[] header = new byte[13];
    putInt(header, 0, w);
    putInt(header, 4, h);
    header[8] = 8; // bit depth
    header[9] = (byte) (c == 1 ? 0 : 2); // grey or RGB
    ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
    out.writeBytes(SIGNATURE);
    chunk(out, "IHDR", header);
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** Appends one chunk: length, type, data and the CRC of type and data. */
  static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] word = new byte[4];
    putInt(word, 0, data.length);
    out.writeBytes(word);
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(name);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    putInt(word, 0, (int) crc.getValue());
    out.writeBytes(word);
  }

  /** Writes {@code v} big-endian at {@code b[at..at+3]}. */
  static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
