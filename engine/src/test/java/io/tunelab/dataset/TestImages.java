package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/** Real images for the dataset tests: Fashion-MNIST test images, and hand-made broken files. */
final class TestImages {
  private static LabeledImages t10k;

  private TestImages() {}

  /** The 10,000 Fashion-MNIST test images, read once. */
  static synchronized LabeledImages fashionMnist() {
    if (t10k == null) {
      try {
        t10k = FashionMnistFolders.read(FashionMnistFolders.DEFAULT_DIR, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return t10k;
  }

  /** Images {@code from} (inclusive) to {@code to} (exclusive) of a split. */
  static LabeledImages slice(LabeledImages images, int from, int to) {
    int n = images.shape().size();
    return new LabeledImages(
        images.shape(),
        Arrays.copyOfRange(images.pixels(), from * n, to * n),
        Arrays.copyOfRange(images.labels(), from, to));
  }

  /** Exports {@code perClass} Fashion-MNIST test images of each label into {@code dir}. */
  static void export(Path dir, int perClass, long seed, int... labels) throws IOException {
    FashionMnistFolders.export(fashionMnist(), labels, perClass, seed, dir);
  }

  /** A PNG whose header declares {@code width x height} grey pixels but holds a tiny body. */
  static byte[] pngBomb(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    byte[] ihdr = new byte[13];
    PngEncoder.putInt(ihdr, 0, width);
    PngEncoder.putInt(ihdr, 4, height);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 0; // grey
    PngEncoder.chunk(out, "IHDR", ihdr);
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[1000]);
    deflater.finish();
    byte[] body = new byte[2000];
    int len = deflater.deflate(body);
    PngEncoder.chunk(out, "IDAT", Arrays.copyOf(body, len));
    PngEncoder.chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** A colour test card: the left half pure red, the right half pure blue, packed CHW. */
  static byte[] redBlueCard(int height, int width) {
    byte[] pixels = new byte[3 * height * width];
    int plane = height * width;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        if (x < width / 2) {
          pixels[i] = (byte) 255;
        } else {
          pixels[2 * plane + i] = (byte) 255;
        }
      }
    }
    return pixels;
  }

  /** Writes an image in a format ImageIO knows ("png", "jpg", "bmp", "gif"). */
  static void write(byte[] pixels, SampleShape shape, String format, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(FashionMnistFolders.toImage(pixels, shape), format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
  }

  /** Whether the tests run as root, who can read files without read permission. */
  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
