package io.tunelab.dataset;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the plain PNGs that make up most image datasets without {@code ImageIO}: 8 bits per
 * sample, grey, grey with alpha, RGB or RGBA, not interlaced, with no chunk that changes what the
 * pixels mean (palette, transparency key, gamma, colour profile). For such files it gives the very
 * values {@link ImageDecoder} takes from {@code ImageIO}'s decoded image; every other file, and
 * every file it finds anything wrong with, it leaves to {@code ImageIO} (it returns {@code null}),
 * so what is accepted or rejected, and why, stays {@code ImageIO}'s decision.
 *
 * <p>It exists for speed: {@code ImageIO}'s PNG reader sets up a reader, streams, an inflater and a
 * colour model for every file, which costs several times the decoding itself on the small images
 * (28x28 to 256x256) that datasets hold by the ten thousand. The inflater here is reused per
 * thread. Thread-safe.
 */
final class PngDecoder {
  private static final int IHDR = 0x49484452;
  private static final int IDAT = 0x49444154;
  private static final int IEND = 0x49454e44;
  private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);

  private PngDecoder() {}

  /**
   * The pixels of a plain PNG, or {@code null} when the file is not one (or is damaged), for {@code
   * ImageIO} to read or reject. Images over {@code maxPixels} are left to it too.
   */
  static Pixels decode(byte[] png, long maxPixels) {
    try {
      return decodePlain(png, maxPixels);
    } catch (RuntimeException | DataFormatException e) {
      return null;
    }
  }

  private static Pixels decodePlain(byte[] b, long maxPixels) throws DataFormatException {
    if (!"png".equals(ImageDecoder.signatureFormat(b))
        || b.length < 33
        || intAt(b, 8) != 13
        || intAt(b, 12) != IHDR) {
      return null;
    }
    int width = intAt(b, 16);
    int height = intAt(b, 20);
    int depth = b[24] & 0xff;
    int colour = b[25] & 0xff;
    int channels =
        switch (colour) {
          case 0 -> 1;
          case 2 -> 3;
          case 4 -> 2;
          case 6 -> 4;
          default -> 0;
        };
    // depth 8, known colour type, compression 0, filter method 0, not interlaced
    if (width <= 0
        || height <= 0
        || (long) width * height > maxPixels
        || depth != 8
        || channels == 0
        || b[26] != 0
        || b[27] != 0
        || b[28] != 0) {
      return null;
    }
    int stride = width * channels;
    byte[] raw = new byte[(stride + 1) * height];
    Inflater inflater = INFLATER.get();
    inflater.reset();
    int filled = 0;
    int at = 33;
    boolean ended = false;
    while (!ended) {
      int length = intAt(b, at);
      int type = intAt(b, at + 4);
      int data = at + 8;
      if (length < 0 || data + (long) length + 4 > b.length) {
        return null;
      }
      if (type == IDAT) {
        inflater.setInput(b, data, length);
        while (filled < raw.length && !inflater.needsInput() && !inflater.finished()) {
          int n = inflater.inflate(raw, filled, raw.length - filled);
          if (n == 0 && (inflater.needsDictionary() || inflater.needsInput())) {
            break;
          }
          filled += n;
        }
      } else if (type == IEND) {
        ended = true;
      } else if (!harmless(type)) {
        return null;
      }
      at = data + length + 4;
    }
    if (filled < raw.length) {
      return null;
    }
    unfilter(raw, height, stride, channels);
    return planes(raw, width, height, channels);
  }

  /**
   * Ancillary chunks {@code ImageIO} reads as metadata only, which leave the pixel values as they
   * are: text, time, physical size, background colour, significant bits, histogram, suggested
   * palette, Exif. Anything else (PLTE, tRNS, gAMA, cHRM, sRGB, iCCP, unknown chunks) goes to
   * {@code ImageIO}.
   */
  private static boolean harmless(int type) {
    return switch (type) {
      case 0x74455874, // tEXt
          0x7a545874, // zTXt
          0x69545874, // iTXt
          0x74494d45, // tIME
          0x70485973, // pHYs
          0x624b4744, // bKGD
          0x73424954, // sBIT
          0x68495354, // hIST
          0x73504c54, // sPLT
          0x65584966 // eXIf
          ->
          true;
      default -> false;
    };
  }

  /** Undoes the per-row filters in place (PNG specification, section 9). */
  private static void unfilter(byte[] raw, int height, int stride, int bpp) {
    for (int y = 0; y < height; y++) {
      int row = y * (stride + 1);
      int filter = raw[row];
      int cur = row + 1;
      int prev = cur - (stride + 1);
      switch (filter) {
        case 0 -> {}
        case 1 -> {
          for (int i = bpp; i < stride; i++) {
            raw[cur + i] += raw[cur + i - bpp];
          }
        }
        case 2 -> {
          if (y > 0) {
            for (int i = 0; i < stride; i++) {
              raw[cur + i] += raw[prev + i];
            }
          }
        }
        case 3 -> {
          for (int i = 0; i < stride; i++) {
            int left = i >= bpp ? raw[cur + i - bpp] & 0xff : 0;
            int up = y > 0 ? raw[prev + i] & 0xff : 0;
            raw[cur + i] += (byte) ((left + up) >>> 1);
          }
        }
        case 4 -> {
          for (int i = 0; i < stride; i++) {
            int left = i >= bpp ? raw[cur + i - bpp] & 0xff : 0;
            int up = y > 0 ? raw[prev + i] & 0xff : 0;
            int upLeft = i >= bpp && y > 0 ? raw[prev + i - bpp] & 0xff : 0;
            raw[cur + i] += (byte) paeth(left, up, upLeft);
          }
        }
        default -> throw new IllegalArgumentException("unknown PNG row filter " + filter);
      }
    }
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }

  /**
   * The planes {@link ImageDecoder} makes of {@code ImageIO}'s image, with the same arithmetic:
   * grey as it is, grey with alpha scaled by alpha and rounded, colour with alpha composited over
   * black as {@code (v * a + 127) / 255}, and colour whose three values agree everywhere turned
   * into one grey plane.
   */
  private static Pixels planes(byte[] raw, int width, int height, int channels) {
    int n = width * height;
    int stride = width * channels;
    if (channels <= 2) {
      byte[] grey = new byte[n];
      for (int y = 0; y < height; y++) {
        int src = y * (stride + 1) + 1;
        if (channels == 1) {
          System.arraycopy(raw, src, grey, y * width, width);
        } else {
          for (int x = 0; x < width; x++) {
            double v = (raw[src + 2 * x] & 0xff) * 255.0 / 255;
            v = v * (raw[src + 2 * x + 1] & 0xff) / 255;
            grey[y * width + x] = Resampler.toByte((float) v);
          }
        }
      }
      return new Pixels(width, height, true, grey);
    }
    Pixels.Colour planes = new Pixels.Colour(width, height);
    for (int y = 0; y < height; y++) {
      int src = y * (stride + 1) + 1;
      for (int x = 0; x < width; x++) {
        int p = src + channels * x;
        planes.set(
            y * width + x,
            raw[p] & 0xff,
            raw[p + 1] & 0xff,
            raw[p + 2] & 0xff,
            channels == 4 ? raw[p + 3] & 0xff : 255);
      }
    }
    return planes.pixels();
  }

  private static int intAt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}
