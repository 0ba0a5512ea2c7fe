package io.tunelab.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario suite's datasets really carry the cause they claim, and nothing else: checked on the
 * written folders (file counts, which files sit under a wrong class, byte-identical copies across
 * splits, inverted pixels), not on any diagnosis. Synthetic 28x28 images with known labels stand in
 * for Fashion-MNIST, with small sizes, so the test needs no dataset and takes a second.
 */
@Tag("integration")
class ScenarioDatasetsTest {
  private static final ScenarioDatasets.Sizes BASE = new ScenarioDatasets.Sizes(20, 10, 5);
  private static final SampleShape SHAPE = SampleShape.image(1, 28, 28);

  @TempDir static Path dir;
  static LabeledImages images;
  static ScenarioDatasets data;

  @BeforeAll
  static void images() {
    // 10 labels x 120 images of random pixels, plus an exact copy of the first image of label 5
    // (as Fashion-MNIST holds a few images twice).
    int per = 120;
    int n = 10 * per + 1;
    byte[] pixels = new byte[n * SHAPE.size()];
    int[] labels = new int[n];
    new Random(3).nextBytes(pixels);
    for (int i = 0; i < 10 * per; i++) {
      labels[i] = i % 10;
    }
    labels[n - 1] = 5;
    System.arraycopy(pixels, 5 * SHAPE.size(), pixels, (n - 1) * SHAPE.size(), SHAPE.size());
    images = new LabeledImages(SHAPE, pixels, labels);
    data = new ScenarioDatasets(images, 11, BASE, ScenarioDatasets.OTHER, 30);
  }

  @Test
  void healthyIsBalancedCleanAndDisjoint() throws IOException {
    ScenarioDatasets.Built built = data.healthy(dir.resolve("healthy"));
    Map<String, Map<String, Integer>> counts = countFiles(built.dir());
    assertEquals(built.counts(), counts);
    for (String split : List.of("train", "val", "test")) {
      assertEquals(data.targetNames(), counts.get(split).keySet());
    }
    counts.get("train").values().forEach(c -> assertEquals(BASE.train(), c));
    counts.get("val").values().forEach(c -> assertEquals(BASE.val(), c));
    counts.get("test").values().forEach(c -> assertEquals(BASE.test(), c));
    assertTrue(built.flipped().isEmpty());
    assertTrue(built.copied().isEmpty());
    // Every file holds the image its name gives, under its true class, and no content appears
    // twice anywhere (the duplicate in the source pool is used once at most).
    Map<String, Path> byHash = new HashMap<>();
    for (Path file : files(built.dir())) {
      int index = index(file);
      assertEquals(
          ScenarioDatasets.name(images.label(index)), file.getParent().getFileName().toString());
      assertArrayEquals(images.image(index), grey(file));
      String hash = sha256(file);
      Path before = byHash.put(hash, file);
      assertEquals(null, before, "same content in " + file + " and " + before);
    }
  }

  @Test
  void sameClassTargetsNeverReuseSourceImages() throws IOException {
    ScenarioDatasets same = new ScenarioDatasets(images, 11, BASE, ScenarioDatasets.SOURCE, 30);
    Path source = same.source(dir.resolve("same-source"), 30);
    ScenarioDatasets.Built built = same.healthy(dir.resolve("same-healthy"));
    Set<Integer> sourceIndices = new HashSet<>();
    files(source).forEach(f -> sourceIndices.add(index(f)));
    assertEquals(5 * 30, sourceIndices.size());
    List<Path> target = files(built.dir());
    assertEquals(5 * (BASE.train() + BASE.val() + BASE.test()), target.size());
    for (Path file : target) {
      assertFalse(sourceIndices.contains(index(file)), file + " is also a source image");
    }
    assertEquals(Set.of("T-shirt_top", "Trouser", "Pullover", "Dress", "Coat"), same.targetNames());
  }

  @Test
  void labelNoiseMovesAQuarterOfEachClassAndLeavesValAndTestClean() throws IOException {
    ScenarioDatasets.Built built = data.labelNoise(dir.resolve("noise"), 0.25, 5);
    int total = 0;
    Map<String, Integer> flippedFrom = new TreeMap<>();
    for (Path file : files(built.dir())) {
      String rel = built.dir().relativize(file).toString().replace('\\', '/');
      String folder = file.getParent().getFileName().toString();
      String truth = ScenarioDatasets.name(images.label(index(file)));
      boolean flipped = !folder.equals(truth);
      assertEquals(flipped, built.flipped().containsKey(rel), rel);
      if (flipped) {
        assertTrue(rel.startsWith("train/"), "only training labels are flipped: " + rel);
        assertEquals(truth, built.flipped().get(rel));
        flippedFrom.merge(truth, 1, Integer::sum);
      }
      total++;
    }
    assertEquals(5 * (BASE.train() + BASE.val() + BASE.test()), total);
    int perClass = (int) Math.round(0.25 * BASE.train());
    assertEquals(5 * perClass, built.flipped().size());
    flippedFrom.values().forEach(c -> assertEquals(perClass, c));
    // The wrong labels are spread over the other classes, not all into one.
    Set<String> targets = new HashSet<>();
    built.flipped().keySet().forEach(p -> targets.add(p.split("/")[1]));
    assertEquals(5, targets.size());
    assertEquals(countFiles(built.dir()), built.counts());
  }

  @Test
  void imbalanceMakesOneClassTwentyTimesSmaller() throws IOException {
    ScenarioDatasets.Built built = data.imbalance(dir.resolve("imbalance"), 40, 2, 6);
    Map<String, Map<String, Integer>> counts = countFiles(built.dir());
    assertEquals(built.counts(), counts);
    assertEquals(2, counts.get("train").get("Shirt"));
    counts.get("train").forEach((c, n) -> assertEquals(c.equals("Shirt") ? 2 : 40, n));
    counts.get("val").values().forEach(c -> assertEquals(BASE.val(), c));
    counts.get("test").values().forEach(c -> assertEquals(BASE.test(), c));
  }

  @Test
  void fewTrainingAndSmallValidationChangeOnlyTheirSplit() throws IOException {
    Map<String, Map<String, Integer>> few =
        countFiles(data.fewTraining(dir.resolve("few"), 5).dir());
    few.get("train").values().forEach(c -> assertEquals(5, c));
    few.get("val").values().forEach(c -> assertEquals(BASE.val(), c));
    few.get("test").values().forEach(c -> assertEquals(BASE.test(), c));
    Map<String, Map<String, Integer>> small =
        countFiles(data.smallValidation(dir.resolve("small-val"), 3).dir());
    small.get("train").values().forEach(c -> assertEquals(BASE.train(), c));
    small.get("val").values().forEach(c -> assertEquals(3, c));
    small.get("test").values().forEach(c -> assertEquals(BASE.test(), c));
  }

  @Test
  void invertedHasEveryPixelInverted() throws IOException {
    ScenarioDatasets.Built built = data.inverted(dir.resolve("inverted"));
    assertEquals("invert", built.transform());
    List<Path> files = files(built.dir());
    assertEquals(5 * (BASE.train() + BASE.val() + BASE.test()), files.size());
    for (Path file : files) {
      byte[] original = images.image(index(file));
      byte[] written = grey(file);
      for (int p = 0; p < original.length; p++) {
        assertEquals(255 - (original[p] & 0xff), written[p] & 0xff, file + " pixel " + p);
      }
    }
  }

  @Test
  void leakageCopiesAFifthOfValIntoTrainByteForByte() throws IOException {
    ScenarioDatasets.Built built = data.leakage(dir.resolve("leak"), 0.20);
    int perClass = (int) Math.round(0.20 * BASE.val());
    assertEquals(5 * perClass, built.copied().size());
    Map<String, Map<String, Integer>> counts = countFiles(built.dir());
    assertEquals(built.counts(), counts);
    counts.get("train").values().forEach(c -> assertEquals(BASE.train() + perClass, c));
    for (Map.Entry<String, String> e : built.copied().entrySet()) {
      assertTrue(e.getKey().startsWith("train/") && e.getValue().startsWith("val/"));
      assertArrayEquals(
          Files.readAllBytes(built.dir().resolve(e.getValue())),
          Files.readAllBytes(built.dir().resolve(e.getKey())));
    }
    // Exactly the planted copies are duplicated across splits.
    Map<String, Set<String>> splitsByHash = new HashMap<>();
    for (Path file : files(built.dir())) {
      String split = built.dir().relativize(file).getName(0).toString();
      splitsByHash.computeIfAbsent(sha256(file), k -> new HashSet<>()).add(split);
    }
    assertEquals(
        built.copied().size(), splitsByHash.values().stream().filter(s -> s.size() > 1).count());
  }

  @Test
  void sourceHoldsOnlySourceClassesAndPlantedListIsWritten() throws IOException {
    Path source = data.source(dir.resolve("source"), 30);
    Set<String> classes = new HashSet<>();
    try (Stream<Path> list = Files.list(source)) {
      list.forEach(p -> classes.add(p.getFileName().toString()));
    }
    assertEquals(Set.of("T-shirt_top", "Trouser", "Pullover", "Dress", "Coat"), classes);
    assertEquals(150, files(source).size());

    ScenarioDatasets.Built built = data.labelNoise(dir.resolve("noise-listed"), 0.25, 5);
    Path planted = dir.resolve("noise-listed.planted.txt");
    ScenarioDatasets.writePlanted(built, planted);
    long listed =
        Files.readAllLines(planted).stream().filter(l -> l.startsWith("flipped ")).count();
    assertEquals(built.flipped().size(), listed);
    assertFalse(
        Files.exists(built.dir().resolve("planted.txt")), "nothing planted inside the data");
  }

  @Test
  void suiteFindsPathsAndPrecisionInReportFindings() throws IOException {
    ScenarioDatasets.Built built = data.labelNoise(dir.resolve("noise-report"), 0.25, 5);
    List<String> flipped = new ArrayList<>(built.flipped().keySet());
    String clean =
        files(built.dir()).stream()
            .map(p -> built.dir().relativize(p).toString().replace('\\', '/'))
            .filter(p -> p.startsWith("train/") && !built.flipped().containsKey(p))
            .findFirst()
            .get();
    String report =
        "{\"findings\":[{\"code\":\"label-noise\",\"severity\":\"warning\",\"evidence\":"
            + "\"e.g. "
            + flipped.get(0)
            + " (given X), "
            + built.dir().resolve(flipped.get(1))
            + ", "
            + clean
            + "\"},{\"code\":\"overfitting\",\"evidence\":\""
            + flipped.get(2)
            + "\"}]}";
    String line = DiagnosisScenarios.namedPrecision(new ObjectMapper().readTree(report), built);
    assertTrue(line.startsWith("named examples: 2 of 3 really flipped (precision 0.67"), line);
    assertNotEquals(-1, line.indexOf(built.flipped().size() + " flipped in all"), line);
  }

  private static Map<String, Map<String, Integer>> countFiles(Path root) throws IOException {
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    for (Path file : files(root)) {
      Path rel = root.relativize(file);
      assertEquals(3, rel.getNameCount(), "split/class/file: " + rel);
      counts
          .computeIfAbsent(rel.getName(0).toString(), k -> new TreeMap<>())
          .merge(rel.getName(1).toString(), 1, Integer::sum);
    }
    // Empty class folders count as zero.
    for (String split : List.of("train", "val", "test")) {
      if (Files.isDirectory(root.resolve(split))) {
        try (Stream<Path> classes = Files.list(root.resolve(split))) {
          classes.forEach(
              c ->
                  counts
                      .computeIfAbsent(split, k -> new TreeMap<>())
                      .putIfAbsent(c.getFileName().toString(), 0));
        }
      }
    }
    return counts;
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static int index(Path file) {
    String name = file.getFileName().toString();
    return Integer.parseInt(name.substring(0, name.indexOf('.')));
  }

  private static byte[] grey(Path file) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType(), file.toString());
    byte[] grey = new byte[image.getWidth() * image.getHeight()];
    image.getRaster().getDataElements(0, 0, image.getWidth(), image.getHeight(), grey);
    return grey;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
