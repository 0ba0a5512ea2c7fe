package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Fashion-MNIST as image folders: its class names, where the idx files are installed, and an export
 * of part of an idx split to a folder per class of PNG files, the layout a user's own dataset would
 * have. The demo and the integration tests use it to make real image folders.
 */
public final class FashionMnistFolders {
  /** The class names in label order 0 to 9, usable as folder names. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt_top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle_boot");

  /** Where the Debian package {@code dataset-fashion-mnist} installs the idx files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnistFolders() {}

  /**
   * Reads the training split (60,000 images) or the test split (10,000 images) from a folder
   * holding the four gzipped idx files.
   *
   * @throws IOException when the files are missing or damaged
   */
  public static LabeledImages read(Path dir, boolean train) throws IOException {
    String prefix = train ? "train" : "t10k";
    return IdxReader.read(
        dir.resolve(prefix + "-images-idx3-ubyte.gz"),
        dir.resolve(prefix + "-labels-idx1-ubyte.gz"));
  }

  /**
   * Writes images of the given labels as PNGs to {@code dir/<class name>/<index>.png}, where index
   * is the image's position in {@code images} (five digits). For each label, in the order given, a
   * {@link Random} seeded with {@code seed} picks {@code perClass} images of that label (all of
   * them when {@code perClass} is 0 or larger than the class).
   *
   * @param images the split to export from (grey or colour)
   * @param labels the labels to export, 0 to 9
   * @param perClass images per label; 0 for all
   * @param seed seed of the choice
   * @param dir the folder to write the class folders into (created when missing)
   * @return the written files, sorted
   * @throws IOException when a file cannot be written
   */
  public static List<Path> export(
      LabeledImages images, int[] labels, int perClass, long seed, Path dir) throws IOException {
    Random random = new Random(seed);
    List<int[]> jobs = new ArrayList<>();
    for (int label : labels) {
      if (label < 0 || label >= CLASS_NAMES.size()) {
        throw new IllegalArgumentException("label must be 0 to 9: " + label);
      }
      List<Integer> indices = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        if (images.label(i) == label) {
          indices.add(i);
        }
      }
      Collections.shuffle(indices, random);
      int n = perClass == 0 ? indices.size() : Math.min(perClass, indices.size());
      Files.createDirectories(dir.resolve(CLASS_NAMES.get(label)));
      for (int i : indices.subList(0, n)) {
        jobs.add(new int[] {i, label});
      }
    }
    List<Path> written;
    try {
      written =
          jobs.parallelStream()
              .map(
                  job -> {
                    Path file =
                        dir.resolve(CLASS_NAMES.get(job[1]))
                            .resolve(String.format("%05d.png", job[0]));
                    try {
                      writePng(images.image(job[0]), images.shape(), file);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                    return file;
                  })
              .sorted()
              .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return written;
  }

  /**
   * Writes one packed CHW image as a PNG: 8-bit grey for one channel, 8-bit RGB for three.
   *
   * @throws IOException when the file cannot be written
   */
  public static void writePng(byte[] pixels, SampleShape shape, Path file) throws IOException {
    ImageIO.write(toImage(pixels, shape), "png", file.toFile());
  }

  /** Wraps one packed CHW image in a {@link BufferedImage} (grey or RGB). */
  public static BufferedImage toImage(byte[] pixels, SampleShape shape) {
    int w = shape.width();
    int h = shape.height();
    if (shape.channels() == 1) {
      BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      image.getRaster().setDataElements(0, 0, w, h, pixels);
      return image;
    }
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int plane = w * h;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        image.setRGB(
            x,
            y,
            (pixels[i] & 0xff) << 16
                | (pixels[plane + i] & 0xff) << 8
                | (pixels[2 * plane + i] & 0xff));
      }
    }
    return image;
  }
}
