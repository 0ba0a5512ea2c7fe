package io.tunelab.bench;

import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The datasets of {@link DiagnosisScenarios}: Fashion-MNIST images written as PNG folders in the
 * user-split layout {@code train/<class>/}, {@code val/<class>/}, {@code test/<class>/}, each with
 * exactly one planted cause and everything else as in the healthy baseline.
 *
 * <p>Images come from the Fashion-MNIST training split, without the few images it holds twice. For
 * every label a {@link Random} seeded with the seed and the label shuffles that label's images
 * once. The source dataset (pretraining) takes the front of that order; a target dataset skips the
 * first {@code reserve} positions and then takes its train images, then its val images, then its
 * test images, so it never shares an image with the source dataset, and its splits never share an
 * image unless a scenario copies one on purpose. File names are the image's index in the idx file,
 * five digits ({@code 01234.png}), as {@link FashionMnistFolders#export} names them: nothing in a
 * name tells a planted cause. What was planted (which files were relabelled, which were copied) is
 * returned in {@link Built} and written next to the dataset, never inside it.
 */
public final class ScenarioDatasets {
  /** Source classes of the pretrained model: T-shirt_top, Trouser, Pullover, Dress, Coat. */
  public static final int[] SOURCE = {0, 1, 2, 3, 4};

  /** The other five classes: Sandal, Shirt, Sneaker, Bag, Ankle_boot. */
  public static final int[] OTHER = {5, 6, 7, 8, 9};

  /** Images per label kept for the source dataset: target images start after them. */
  public static final int SOURCE_RESERVE = 2000;

  /** Images per class in the healthy baseline. */
  public static final Sizes HEALTHY = new Sizes(300, 150, 150);

  /** Images per class in each split. */
  public record Sizes(int train, int val, int test) {}

  /**
   * A written dataset and what was planted in it.
   *
   * @param dir the dataset folder ({@code --data})
   * @param counts split to class name to number of files written
   * @param flipped relative paths ({@code train/<class>/<file>}) of training images written under a
   *     class that is not their true one, to their true class name
   * @param copied relative paths of training images that are byte copies of a val image, to that
   *     val image's relative path
   * @param transform what was done to every pixel, or {@code "none"}
   */
  public record Built(
      Path dir,
      Map<String, Map<String, Integer>> counts,
      Map<String, String> flipped,
      Map<String, String> copied,
      String transform) {
    /** Number of training images of the dataset. */
    public int trainImages() {
      return counts.get("train").values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private final LabeledImages images;
  private final List<String> names;
  private final Sizes base;
  private final int[] target;
  private final int reserve;
  private final Map<Integer, List<Integer>> order = new TreeMap<>();

  /** Datasets of the given target labels with the {@link #HEALTHY} sizes as the baseline. */
  public ScenarioDatasets(LabeledImages images, long seed, int[] target) {
    this(images, seed, HEALTHY, target, SOURCE_RESERVE);
  }

  /**
   * @param images Fashion-MNIST's training split (or any labelled images with labels 0 to 9)
   * @param seed seed of the per-label orders
   * @param base images per class of the healthy baseline, which the scenarios that change something
   *     else keep
   * @param target the target labels (five, in increasing order), e.g. {@link #SOURCE} for new
   *     images of the pretraining classes or {@link #OTHER} for new classes
   * @param reserve positions of each label's order kept for the source dataset (at least the
   *     source's images per class): target images never overlap source images
   */
  public ScenarioDatasets(LabeledImages images, long seed, Sizes base, int[] target, int reserve) {
    this(images, FashionMnistFolders.CLASS_NAMES, seed, base, target, reserve);
  }

  /**
   * As {@link #ScenarioDatasets(LabeledImages, long, Sizes, int[], int)} for any ten labelled
   * classes.
   *
   * @param names the class name (folder name) of each label 0 to 9
   */
  public ScenarioDatasets(
      LabeledImages images, List<String> names, long seed, Sizes base, int[] target, int reserve) {
    if (names.size() != 10) {
      throw new IllegalArgumentException("need 10 class names, got " + names);
    }
    this.images = images;
    this.names = List.copyOf(names);
    this.base = base;
    this.target = target.clone();
    this.reserve = reserve;
    for (int label = 0; label < 10; label++) {
      order.put(label, new ArrayList<>());
    }
    // Fashion-MNIST holds a few images twice; only the first of identical pixels is used, so
    // that no dataset has duplicates it was not given on purpose.
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < images.size(); i++) {
      if (seen.add(Base64.getEncoder().encodeToString(images.image(i)))) {
        order.get(images.label(i)).add(i);
      }
    }
    for (Map.Entry<Integer, List<Integer>> e : order.entrySet()) {
      Collections.shuffle(e.getValue(), new Random(seed * 1_000_003L + e.getKey()));
    }
  }

  /** The label's {@code n} images starting at position {@code from} of its order. */
  List<Integer> take(int label, int from, int n) {
    List<Integer> all = order.get(label);
    if (from + n > all.size()) {
      throw new IllegalArgumentException(
          "label " + label + " has " + all.size() + " images, asked for " + (from + n));
    }
    return all.subList(from, from + n);
  }

  /**
   * The source dataset for pretraining: class folders of the source classes, {@code perClass} each.
   */
  public Path source(Path dir, int perClass) throws IOException {
    if (perClass > reserve && sharesSourceLabels()) {
      throw new IllegalArgumentException(
          "source images per class " + perClass + " > reserve " + reserve);
    }
    for (int label : SOURCE) {
      for (int index : take(label, 0, perClass)) {
        write(images.image(index), dir.resolve(className(label)).resolve(file(index)));
      }
    }
    return dir;
  }

  /** The healthy baseline: balanced, clean, the base sizes per class. */
  public Built healthy(Path dir) throws IOException {
    return plain(dir, base, "none");
  }

  /** The base sizes. */
  public Sizes base() {
    return base;
  }

  /** A split layout with the given sizes for every target class and nothing planted. */
  public Built plain(Path dir, Sizes sizes, String transform) throws IOException {
    Map<String, Sizes> per = new LinkedHashMap<>();
    for (int label : target) {
      per.put(className(label), sizes);
    }
    return write(dir, per, transform, 0, 0, 0);
  }

  /** Base sizes, but {@code fraction} of each class's training images moved to another class. */
  public Built labelNoise(Path dir, double fraction, long seed) throws IOException {
    return write(dir, uniform(base), "none", fraction, seed, 0);
  }

  /** Base val and test; {@code big} training images per class but {@code small} for one class. */
  public Built imbalance(Path dir, int big, int small, int smallLabel) throws IOException {
    Map<String, Sizes> per = new LinkedHashMap<>();
    for (int label : target) {
      per.put(
          className(label), new Sizes(label == smallLabel ? small : big, base.val(), base.test()));
    }
    return write(dir, per, "none", 0, 0, 0);
  }

  /** Base sizes; every image of every split inverted (255 - x): light garments on black. */
  public Built inverted(Path dir) throws IOException {
    return plain(dir, base, PixelTransform.INVERT);
  }

  /** Base sizes; every image of every split put through a {@link PixelTransform}. */
  public Built transformed(Path dir, String transform) throws IOException {
    return plain(dir, base, transform);
  }

  /**
   * Two causes at once: {@code big} training images per class but {@code small} for one class, and
   * {@code fraction} of each class's training images moved to another class; base val and test.
   */
  public Built noisyImbalance(
      Path dir, int big, int small, int smallLabel, double fraction, long seed) throws IOException {
    Map<String, Sizes> per = new LinkedHashMap<>();
    for (int label : target) {
      per.put(
          className(label), new Sizes(label == smallLabel ? small : big, base.val(), base.test()));
    }
    return write(dir, per, "none", fraction, seed, 0);
  }

  /** Base sizes plus, in train, byte copies of {@code fraction} of each class's val images. */
  public Built leakage(Path dir, double fraction) throws IOException {
    return write(dir, uniform(base), "none", 0, 0, fraction);
  }

  /** Base train and test sizes with {@code val} validation images per class. */
  public Built smallValidation(Path dir, int val) throws IOException {
    return plain(dir, new Sizes(base.train(), val, base.test()), "none");
  }

  /** Base val and test sizes with {@code train} training images per class. */
  public Built fewTraining(Path dir, int train) throws IOException {
    return plain(dir, new Sizes(train, base.val(), base.test()), "none");
  }

  /** The target labels. */
  public int[] target() {
    return target.clone();
  }

  private Map<String, Sizes> uniform(Sizes sizes) {
    Map<String, Sizes> per = new LinkedHashMap<>();
    for (int label : target) {
      per.put(className(label), sizes);
    }
    return per;
  }

  private Built write(
      Path dir,
      Map<String, Sizes> perClass,
      String transform,
      double flip,
      long flipSeed,
      double copy)
      throws IOException {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    for (String split : List.of("train", "val", "test")) {
      Map<String, Integer> c = new TreeMap<>();
      for (int label : target) {
        c.put(className(label), 0);
        Files.createDirectories(dir.resolve(split).resolve(className(label)));
      }
      counts.put(split, c);
    }
    Map<String, String> flipped = new TreeMap<>();
    Map<String, String> copied = new TreeMap<>();
    Random random = new Random(flipSeed);
    List<Object[]> jobs = new ArrayList<>();
    for (int label : target) {
      Sizes s = perClass.get(className(label));
      int from = reserve;
      List<Integer> train = take(label, from, s.train());
      List<Integer> val = take(label, from + s.train(), s.val());
      List<Integer> test = take(label, from + s.train() + s.val(), s.test());
      // The first round(flip * n) of the class's (already shuffled) training images get a
      // uniformly chosen other target class.
      int nFlip = (int) Math.round(flip * train.size());
      for (int k = 0; k < train.size(); k++) {
        int given = label;
        if (k < nFlip) {
          int other = random.nextInt(target.length - 1);
          given = target[other >= indexOf(label) ? other + 1 : other];
        }
        String rel = "train/" + className(given) + "/" + file(train.get(k));
        if (given != label) {
          flipped.put(rel, className(label));
        }
        jobs.add(new Object[] {train.get(k), rel});
        counts.get("train").merge(className(given), 1, Integer::sum);
      }
      for (int index : val) {
        jobs.add(new Object[] {index, "val/" + className(label) + "/" + file(index)});
        counts.get("val").merge(className(label), 1, Integer::sum);
      }
      for (int index : test) {
        jobs.add(new Object[] {index, "test/" + className(label) + "/" + file(index)});
        counts.get("test").merge(className(label), 1, Integer::sum);
      }
      int nCopy = (int) Math.round(copy * val.size());
      for (int index : val.subList(0, nCopy)) {
        copied.put(
            "train/" + className(label) + "/" + file(index),
            "val/" + className(label) + "/" + file(index));
        counts.get("train").merge(className(label), 1, Integer::sum);
      }
    }
    try {
      jobs.parallelStream()
          .forEach(
              job -> {
                byte[] pixels =
                    PixelTransform.apply(transform, images.image((Integer) job[0]), shape());
                try {
                  write(pixels, dir.resolve((String) job[1]));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    // Byte copies, as a user's careless copy would make them: identical files.
    for (Map.Entry<String, String> e : copied.entrySet()) {
      Files.copy(dir.resolve(e.getValue()), dir.resolve(e.getKey()));
    }
    return new Built(dir, counts, flipped, copied, transform);
  }

  /** Whether any target label is a source label: only then must the source fit in the reserve. */
  private boolean sharesSourceLabels() {
    for (int label : target) {
      for (int s : SOURCE) {
        if (s == label) {
          return true;
        }
      }
    }
    return false;
  }

  private int indexOf(int label) {
    for (int i = 0; i < target.length; i++) {
      if (target[i] == label) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a target label: " + label);
  }

  private void write(byte[] pixels, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    FashionMnistFolders.writePng(pixels, images.shape(), file);
  }

  /** The class name (folder name) of a label. */
  public String className(int label) {
    return names.get(label);
  }

  /** Fashion-MNIST's class name of a label. */
  public static String name(int label) {
    return FashionMnistFolders.CLASS_NAMES.get(label);
  }

  /** The file name of an image: its index in the idx file. */
  static String file(int index) {
    return String.format("%05d.png", index);
  }

  /**
   * Writes what was planted as text lines: {@code flipped PATH TRUE_CLASS}, {@code copied PATH
   * FROM}.
   */
  public static void writePlanted(Built built, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("transform " + built.transform());
    built.counts().forEach((split, c) -> lines.add("counts " + split + " " + c));
    built.flipped().forEach((path, truth) -> lines.add("flipped " + path + " " + truth));
    built.copied().forEach((path, from) -> lines.add("copied " + path + " " + from));
    Files.write(file, lines);
  }

  /** Class names of the target classes, sorted as folder names sort. */
  public TreeSet<String> targetNames() {
    TreeSet<String> names = new TreeSet<>();
    for (int label : target) {
      names.add(className(label));
    }
    return names;
  }

  /** The shape of the images. */
  public SampleShape shape() {
    return images.shape();
  }
}
