package io.tunelab.dataset;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * An {@link ImageSource} over a folder of MNIST-style idx files, as MNIST and Fashion-MNIST are
 * distributed: {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte}, and optionally
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each gzipped ({@code .gz}) or
 * not. Every image is presented as a PNG file, encoded in memory when the ingestor opens it, so the
 * idx images go through the same validation, hashing and splitting as a folder of image files:
 *
 * <ul>
 *   <li>with {@code t10k} files: a split layout, {@code test/<class>/<index>.png} from the t10k
 *       files, and the training files divided into {@code val/<class>/<index>.png} (every sixth
 *       image of each class in file order, 10,000 of Fashion-MNIST's 60,000) and {@code
 *       train/<class>/<index>.png} (the rest);
 *   <li>without them: one folder per class, {@code <class>/<index>.png}, which the ingestor splits,
 *       stratified, by the run's seed.
 * </ul>
 *
 * <p>Class names, in this order of precedence: the lines of a {@code classes.txt} in the folder
 * (label 0 first); Fashion-MNIST's names ({@link FashionMnistFolders#CLASS_NAMES}) when the folder
 * looks like Fashion-MNIST; otherwise the label numbers, {@code "0"} to {@code "9"} for MNIST. The
 * folder looks like Fashion-MNIST when its labels are 0 to 9 and either its name contains {@code
 * fashion} (any case) or the mean pixel value of its first 1,000 training images is at least
 * {@value #FASHION_MEAN_PIXEL} of white: Fashion-MNIST's garments fill the frame (mean 0.29) while
 * MNIST's digits are thin strokes on black (mean 0.13).
 */
public final class IdxSource implements ImageSource {
  /** Mean pixel value (fraction of white) from which idx images are taken as Fashion-MNIST. */
  static final double FASHION_MEAN_PIXEL = 0.2;

  /** One training image in this many (per class, in file order) is put in the val split. */
  static final int VAL_EVERY = 6;

  /** The optional file that names the classes, one line per label. */
  static final String CLASSES_FILE = "classes.txt";

  private final Path dir;
  private volatile Map<String, String> aliases = Map.of();

  /** Creates a source over a folder of idx files; nothing is read until {@link #files()}. */
  public IdxSource(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  /** Whether a folder holds MNIST-style training idx files (gzipped or not). */
  public static boolean holdsIdx(Path dir) {
    return find(dir, "train-images-idx3-ubyte") != null;
  }

  /**
   * Reads the idx files and lists one PNG entry per image, sorted by path.
   *
   * @throws BadInputException when the training images or labels are missing or damaged
   * @throws IOException when a file cannot be read
   */
  @Override
  public List<SourceFile> files() throws IOException {
    LabeledImages train = read("train", true);
    LabeledImages test = read("t10k", false);
    List<String> names = classNames(train);
    Map<String, String> labels = new LinkedHashMap<>();
    for (int label = 0; label < names.size(); label++) {
      labels.put(Integer.toString(label), names.get(label));
    }
    aliases = Collections.unmodifiableMap(labels);
    List<SourceFile> entries = new ArrayList<>();
    if (test == null) {
      add(entries, "", train, names, IntStream.range(0, train.size()).toArray());
    } else {
      List<Integer> trainIndices = new ArrayList<>();
      List<Integer> valIndices = new ArrayList<>();
      int[] seen = new int[names.size()];
      for (int i = 0; i < train.size(); i++) {
        int rank = seen[train.label(i)]++;
        (rank % VAL_EVERY == VAL_EVERY - 1 ? valIndices : trainIndices).add(i);
      }
      add(entries, "train/", train, names, trainIndices.stream().mapToInt(i -> i).toArray());
      add(entries, "val/", train, names, valIndices.stream().mapToInt(i -> i).toArray());
      add(entries, "test/", test, names, IntStream.range(0, test.size()).toArray());
    }
    entries.sort(Comparator.comparing(SourceFile::path));
    return entries;
  }

  /**
   * The label numbers, {@code "0"} up, each mapped to its class's name (after {@link #files()}).
   */
  @Override
  public Map<String, String> classAliases() {
    return aliases;
  }

  /** The class names of the labels 0 to the largest label in {@code train}. */
  List<String> classNames(LabeledImages train) throws IOException {
    int classes = IntStream.of(train.labels()).max().orElse(-1) + 1;
    Path named = dir.resolve(CLASSES_FILE);
    if (Files.isRegularFile(named)) {
      List<String> lines =
          Files.readAllLines(named, StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .filter(l -> !l.isEmpty())
              .toList();
      if (lines.size() < classes) {
        throw new BadInputException(
            named
                + " names "
                + lines.size()
                + " classes but the labels "
                + "go up to "
                + (classes - 1)
                + ": write one name per line, label 0 first");
      }
      return lines.subList(0, classes);
    }
    if (classes <= FashionMnistFolders.CLASS_NAMES.size() && looksLikeFashion(train)) {
      return FashionMnistFolders.CLASS_NAMES.subList(0, classes);
    }
    return IntStream.range(0, classes).mapToObj(Integer::toString).toList();
  }

  private boolean looksLikeFashion(LabeledImages train) {
    Path name = dir.getFileName();
    if (name != null && name.toString().toLowerCase(Locale.ROOT).contains("fashion")) {
      return true;
    }
    return meanPixel(train, 1000) >= FASHION_MEAN_PIXEL;
  }

  /** The mean pixel value, as a fraction of white, of the first {@code count} images. */
  static double meanPixel(LabeledImages images, int count) {
    int n = Math.min(count, images.size()) * images.shape().size();
    if (n == 0) {
      return 0;
    }
    byte[] pixels = images.pixels();
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += pixels[i] & 0xff;
    }
    return sum / (255.0 * n);
  }

  private LabeledImages read(String prefix, boolean required) throws IOException {
    Path images = find(dir, prefix + "-images-idx3-ubyte");
    Path labels = find(dir, prefix + "-labels-idx1-ubyte");
    if (images == null && labels == null && !required) {
      return null;
    }
    if (images == null || labels == null) {
      throw new BadInputException(
          dir
              + " has "
              + (images == null ? labels : images).getFileName()
              + " but no "
              + prefix
              + (images == null ? "-images-idx3-ubyte" : "-labels-idx1-ubyte")
              + "[.gz]");
    }
    try {
      return IdxReader.read(images, labels);
    } catch (java.io.EOFException e) {
      throw new BadInputException(
          images.getFileName() + " or " + labels.getFileName() + " in " + dir + " is truncated");
    } catch (IOException e) {
      if (e.getMessage() != null
          && (e.getMessage().contains("not an idx") || e.getMessage().contains(" labels"))) {
        throw new BadInputException(e.getMessage());
      }
      throw e;
    }
  }

  /**
   * The hex SHA-256 of what the listing is made from: the folder's name (it can decide the class
   * names), and the name and bytes of each idx file and of {@code classes.txt} present.
   */
  @Override
  public String snapshot() throws IOException {
    java.security.MessageDigest digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    Path name = dir.getFileName();
    digest.update(("dir=" + (name == null ? "" : name) + "\n").getBytes(StandardCharsets.UTF_8));
    List<Path> files = new ArrayList<>();
    for (String base :
        new String[] {
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte"
        }) {
      Path file = find(dir, base);
      if (file != null) {
        files.add(file);
      }
    }
    if (Files.isRegularFile(dir.resolve(CLASSES_FILE))) {
      files.add(dir.resolve(CLASSES_FILE));
    }
    byte[] buffer = new byte[1 << 16];
    for (Path file : files) {
      digest.update(("file=" + file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
      try (java.io.InputStream in = Files.newInputStream(file)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      }
    }
    return java.util.HexFormat.of().formatHex(digest.digest());
  }

  private static Path find(Path dir, String base) {
    for (String name : new String[] {base, base + ".gz"}) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    return null;
  }

  private static void add(
      List<SourceFile> entries,
      String split,
      LabeledImages images,
      List<String> names,
      int[] indices) {
    for (int i : indices) {
      String path = split + names.get(images.label(i)) + "/" + String.format("%05d.png", i);
      entries.add(new SourceFile(path, -1, () -> new ByteArrayInputStream(png(images, i))));
    }
  }

  /** One image as PNG bytes (8-bit grey or RGB). */
  static byte[] png(LabeledImages images, int index) {
    return PngEncoder.encode(images.image(index), images.shape());
  }

  @Override
  public String describe() {
    return dir + " (idx files)";
  }

  @Override
  public String toString() {
    return "IdxSource[" + dir + "]";
  }
}
