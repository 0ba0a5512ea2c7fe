package io.tunelab.dataset;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * Validates and decodes one image file: checks its name, reads its bytes, hashes them, reads the
 * declared size before decoding (to refuse decompression bombs), decodes the first frame, and
 * resizes it to the target height and width. Plain PNGs are decoded by {@link PngDecoder}, to the
 * same values, everything else by {@code ImageIO}. Anything wrong ends in a {@link Rejection} whose
 * message is the reason shown to the user. Instances are immutable and thread-safe.
 */
final class ImageDecoder {
  /** Largest accepted image, in pixels, as declared by its header. */
  static final long MAX_PIXELS = 40_000_000L;

  /** Largest accepted file, in bytes. */
  static final int MAX_FILE_BYTES = 256 << 20;

  /** Accepted file name extensions, lower case. */
  static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

  private static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");
  private static final String ACCEPTED = "accepted: .png, .jpg, .jpeg, .bmp, .gif";

  private final int height;
  private final int width;

  /** Creates a decoder that resizes every image to {@code height x width}. */
  ImageDecoder(int height, int width) {
    this.height = height;
    this.width = width;
  }

  /** Why a file was not accepted; the message is the reason. */
  static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    Rejection(String reason) {
      super(reason, null, false, false);
    }
  }

  /** The reason a file name is not accepted, or {@code null} when its extension is fine. */
  static String extensionProblem(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot <= 0 || dot == fileName.length() - 1) {
      return "no file extension (" + ACCEPTED + ")";
    }
    String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (!EXTENSIONS.contains(ext)) {
      return "unsupported file type '." + ext + "' (" + ACCEPTED + ")";
    }
    return null;
  }

  /**
   * Reads, validates, hashes and decodes a file.
   *
   * @throws Rejection when the file cannot be read or is not a usable image
   */
  DecodedImage decode(SourceFile file) throws Rejection {
    byte[] bytes = read(file);
    String sha256 = sha256(bytes);
    Pixels pixels = PngDecoder.decode(bytes, MAX_PIXELS);
    if (pixels == null) {
      pixels = imageIo(bytes, formatOf(file.name()));
    }
    int w = pixels.width();
    int h = pixels.height();
    byte[] luminance = pixels.grey() ? pixels.values() : luminancePlane(pixels.values(), w * h);
    long dHash = PerceptualHash.dHash(luminance, h, w);
    byte[] resized = Resampler.resize(pixels.values(), pixels.grey() ? 1 : 3, h, w, height, width);
    return new DecodedImage(sha256, w, h, pixels.grey(), resized, dHash);
  }

  /** How the reason for a file that could not be read (now) begins. */
  static final String UNREADABLE = "unreadable";

  /**
   * Reads a file as {@link #decode} does and returns the hex SHA-256 of its bytes, without decoding
   * them.
   *
   * @throws Rejection when the file cannot be read, is empty or is too large
   */
  static String contentHash(SourceFile file) throws Rejection {
    return sha256(read(file));
  }

  private static byte[] read(SourceFile file) throws Rejection {
    byte[] bytes;
    try (InputStream in = file.open()) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (AccessDeniedException e) {
      throw new Rejection(UNREADABLE + ": permission denied");
    } catch (NoSuchFileException e) {
      throw new Rejection(UNREADABLE + ": the file disappeared while the source was read");
    } catch (IOException e) {
      throw new Rejection(UNREADABLE + ": " + describe(e));
    }
    if (bytes.length == 0) {
      throw new Rejection("empty file (0 bytes)");
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new Rejection("file larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
    }
    return bytes;
  }

  private static String formatOf(String fileName) {
    String ext = fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return ext.equals("jpg") ? "JPEG" : ext.toUpperCase(Locale.ROOT);
  }

  private static BufferedImage decodeImage(byte[] bytes, String expected) throws Rejection {
    try (ImageInputStream in = new BytesImageInputStream(bytes)) {
      // PNG and JPEG by their signature, as their readers recognise them; anything else asks
      // every installed reader, which reads the header once per reader.
      String signed = signatureFormat(bytes);
      Iterator<ImageReader> readers =
          signed != null
              ? ImageIO.getImageReadersByFormatName(signed)
              : ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new Rejection(
            "not a " + expected + " image: content not recognised as PNG, JPEG, " + "BMP or GIF");
      }
      ImageReader reader = readers.next();
      try {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
          String shown = format.equals("tif") ? "TIFF" : format.toUpperCase(Locale.ROOT);
          throw new Rejection("content is " + shown + ", not PNG, JPEG, BMP or GIF");
        }
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0) {
          throw new Rejection("image declares an empty size " + w + "x" + h);
        }
        if ((long) w * h > MAX_PIXELS) {
          throw new Rejection(
              String.format(
                  Locale.ROOT,
                  "image declares %dx%d = %.1f megapixels, over the %d-megapixel limit "
                      + "(possible decompression bomb)",
                  w,
                  h,
                  (double) w * h / 1e6,
                  MAX_PIXELS / 1_000_000));
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        for (String warning : warnings) {
          String lower = warning.toLowerCase(Locale.ROOT);
          if (lower.contains("truncated") || lower.contains("premature end")) {
            // The JPEG decoder fills a cut-off file with grey and only warns.
            throw new Rejection(
                "corrupt or truncated " + format.toUpperCase(Locale.ROOT) + " image: " + warning);
          }
        }
        return image;
      } catch (IOException | RuntimeException e) {
        throw new Rejection(
            "corrupt or truncated "
                + reader.getFormatName().toUpperCase(Locale.ROOT)
                + " image: "
                + describe(e));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new Rejection(UNREADABLE + ": " + describe(e));
    }
  }

  /**
   * {@code png} or {@code jpeg} when the bytes start with that format's signature, which its reader
   * accepts, otherwise {@code null} (the caller then asks every installed reader).
   */
  static String signatureFormat(byte[] b) {
    if (b.length >= 8
        && (b[0] & 0xff) == 0x89
        && b[1] == 'P'
        && b[2] == 'N'
        && b[3] == 'G'
        && b[4] == 0x0d
        && b[5] == 0x0a
        && b[6] == 0x1a
        && b[7] == 0x0a) {
      return "png";
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return "jpeg";
    }
    return null;
  }

  /**
   * An image input stream over bytes already in memory: unlike {@code MemoryCacheImageInputStream}
   * it copies nothing into a cache and registers nothing for disposal.
   */
  private static final class BytesImageInputStream extends ImageInputStreamImpl {
    private final byte[] bytes;

    BytesImageInputStream(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() throws IOException {
      checkClosed();
      bitOffset = 0;
      return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      checkClosed();
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      bitOffset = 0;
      if (len == 0) {
        return 0;
      }
      if (streamPos >= bytes.length) {
        return -1;
      }
      int n = (int) Math.min(len, bytes.length - streamPos);
      System.arraycopy(bytes, (int) streamPos, b, off, n);
      streamPos += n;
      return n;
    }

    @Override
    public long length() {
      return bytes.length;
    }
  }

  /**
   * The pixels {@code ImageIO} decodes from a file: one grey plane, or three colour planes,
   * composited over black.
   *
   * @param expected the format the file's name announces, for messages
   * @throws Rejection when {@code ImageIO} cannot read the file or it is not a usable image
   */
  static Pixels imageIo(byte[] bytes, String expected) throws Rejection {
    return pixels(decodeImage(bytes, expected));
  }

  private static Pixels pixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    ColorModel cm = image.getColorModel();
    if (!(cm instanceof IndexColorModel)
        && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && cm.getNumColorComponents() == 1) {
      return new Pixels(w, h, true, greyPlane(image, cm, w, h));
    }
    Pixels.Colour planes = new Pixels.Colour(w, h);
    int[] row = new int[w];
    boolean alpha = cm.hasAlpha();
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int argb = row[x];
        planes.set(
            y * w + x,
            (argb >> 16) & 0xff,
            (argb >> 8) & 0xff,
            argb & 0xff,
            alpha ? argb >>> 24 : 255);
      }
    }
    return planes.pixels();
  }

  /** Reads grey samples directly: {@code getRGB} would apply a gamma curve to linear grey. */
  private static byte[] greyPlane(BufferedImage image, ColorModel cm, int w, int h) {
    Raster raster = image.getRaster();
    int max = (1 << cm.getComponentSize(0)) - 1;
    boolean alpha = cm.hasAlpha() && raster.getNumBands() > 1;
    int alphaMax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1;
    byte[] plane = new byte[w * h];
    if (!alpha
        && max == 255
        && raster.getNumBands() == 1
        && raster.getTransferType() == DataBuffer.TYPE_BYTE) {
      // 8-bit grey: the samples are the values (what the loop below computes for them).
      raster.getDataElements(0, 0, w, h, plane);
      return plane;
    }
    int[] values = new int[w];
    int[] alphas = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, values);
      if (alpha) {
        raster.getSamples(0, y, w, 1, 1, alphas);
      }
      for (int x = 0; x < w; x++) {
        double v = values[x] * 255.0 / max;
        if (alpha) {
          v = v * alphas[x] / alphaMax;
        }
        plane[y * w + x] = Resampler.toByte((float) v);
      }
    }
    return plane;
  }

  private static byte[] luminancePlane(byte[] rgb, int n) {
    byte[] plane = new byte[n];
    for (int i = 0; i < n; i++) {
      plane[i] = luminance(rgb[i] & 0xff, rgb[n + i] & 0xff, rgb[2 * n + i] & 0xff);
    }
    return plane;
  }

  /** ITU-R BT.601 luma of one colour pixel, as image libraries compute "L" mode. */
  static byte luminance(int r, int g, int b) {
    return (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
  }

  /** Hex SHA-256 of some bytes. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
