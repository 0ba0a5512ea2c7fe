package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.SampleShape;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idx files as a source: the layout, the class names, and a real ingest of them. */
class IdxSourceTest {
  private static final SampleShape GREY28 = SampleShape.image(1, 28, 28);

  @TempDir Path tmp;

  /** Writes a split as an idx3 image file and an idx1 label file, gzipped or not. */
  static void writeIdx(LabeledImages images, Path dir, String prefix, boolean gzip)
      throws IOException {
    Files.createDirectories(dir);
    String ext = gzip ? ".gz" : "";
    try (DataOutputStream out =
        new DataOutputStream(open(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gzip))) {
      out.writeInt(0x803);
      out.writeInt(images.size());
      out.writeInt(images.shape().height());
      out.writeInt(images.shape().width());
      out.write(images.pixels());
    }
    try (DataOutputStream out =
        new DataOutputStream(open(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gzip))) {
      out.writeInt(0x801);
      out.writeInt(images.size());
      for (int label : images.labels()) {
        out.writeByte(label);
      }
    }
  }

  private static OutputStream open(Path file, boolean gzip) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    return gzip ? new GZIPOutputStream(out) : out;
  }

  /** Dark images of thin strokes, like MNIST digits: mean pixel value well under 0.2. */
  private static LabeledImages digits(int count) {
    byte[] pixels = new byte[count * 784];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % 10;
      for (int y = 4; y < 24; y++) {
        pixels[i * 784 + y * 28 + 10 + labels[i]] = (byte) 255;
      }
    }
    return new LabeledImages(GREY28, pixels, labels);
  }

  private static byte[] bytes(SourceFile file) throws IOException {
    try (InputStream in = file.open()) {
      return in.readAllBytes();
    }
  }

  @Test
  void trainAndT10kBecomeTrainValAndTestFoldersOfPngs() throws Exception {
    Path dir = tmp.resolve("fashion-mnist");
    LabeledImages train = TestImages.slice(TestImages.fashionMnist(), 0, 120);
    LabeledImages test = TestImages.slice(TestImages.fashionMnist(), 120, 150);
    writeIdx(train, dir, "train", true);
    writeIdx(test, dir, "t10k", false);
    assertTrue(IdxSource.holdsIdx(dir));

    List<SourceFile> files = new IdxSource(dir).files();

    assertEquals(150, files.size());
    long val = files.stream().filter(f -> f.path().startsWith("val/")).count();
    assertEquals(30, files.stream().filter(f -> f.path().startsWith("test/")).count());
    assertEquals(120, files.stream().filter(f -> f.path().startsWith("train/")).count() + val);
    assertTrue(val >= 12 && val <= 24, "about one in six training images: " + val);
    SourceFile first =
        files.stream().filter(f -> f.path().startsWith("test/")).findFirst().orElseThrow();
    int index = Integer.parseInt(first.name().substring(0, 5));
    String className = first.path().split("/")[1];
    assertEquals(FashionMnistFolders.CLASS_NAMES.get(test.label(index)), className);
    DecodedImage decoded = new ImageDecoder(28, 28).decode(first);
    assertArrayEquals(test.image(index), decoded.pixels(1), "the PNG holds the idx pixels");
    assertArrayEquals(bytes(first), bytes(first), "encoded the same way every time");
  }

  @Test
  void withoutT10kTheClassesAreFoldersForTheIngestorToSplit() throws Exception {
    Path dir = tmp.resolve("some-digits");
    writeIdx(digits(60), dir, "train", false);

    List<SourceFile> files = new IdxSource(dir).files();

    assertEquals(60, files.size());
    assertEquals("0/00000.png", files.get(0).path());
    assertTrue(files.stream().allMatch(f -> f.path().matches("[0-9]/\\d{5}\\.png")));
    IngestOutcome outcome =
        new Ingestor(2)
            .ingest(new IdxSource(dir), IngestOptions.of(GREY28, 3), IngestProgress.NONE);
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), outcome.classes());
    assertEquals("class-folders", outcome.profile().layout());
    assertEquals(
        60,
        outcome.split("train").size() + outcome.split("val").size() + outcome.split("test").size());
  }

  @Test
  void labelNumbersSelectClassesLikeTheirNames() throws Exception {
    Path dir = tmp.resolve("fashion-labels");
    writeIdx(TestImages.slice(TestImages.fashionMnist(), 0, 300), dir, "train", false);

    IngestOutcome byLabel =
        new Ingestor(2)
            .ingest(
                new IdxSource(dir),
                new IngestOptions(List.of("0", "7", "Sneaker", "9"), 0, 3, GREY28, false),
                IngestProgress.NONE);
    assertEquals(
        List.of("Ankle_boot", "Sneaker", "T-shirt_top"),
        byLabel.classes(),
        "labels 0, 7 and 9 are T-shirt_top, Sneaker and Ankle_boot; a name and its label once");
    IngestOutcome byName =
        new Ingestor(2)
            .ingest(
                new IdxSource(dir),
                new IngestOptions(
                    List.of("T-shirt_top", "Sneaker", "Ankle_boot"), 0, 3, GREY28, false),
                IngestProgress.NONE);
    assertEquals(byName.contentId(), byLabel.contentId(), "the same images either way");

    BadInputException unknown =
        assertThrows(
            BadInputException.class,
            () ->
                new Ingestor(2)
                    .ingest(
                        new IdxSource(dir),
                        new IngestOptions(List.of("0", "10"), 0, 3, GREY28, false),
                        IngestProgress.NONE));
    assertTrue(
        unknown.getMessage().startsWith("class '10' given in --classes does not exist"),
        unknown.getMessage());
    assertTrue(
        unknown.getMessage().endsWith("(or their labels 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)"),
        unknown.getMessage());
  }

  @Test
  void classNamesComeFromClassesTxtThenFromTheLookOfTheImages() throws Exception {
    LabeledImages fashion = TestImages.slice(TestImages.fashionMnist(), 0, 1000);
    assertTrue(IdxSource.meanPixel(fashion, 1000) > IdxSource.FASHION_MEAN_PIXEL);
    assertTrue(IdxSource.meanPixel(digits(100), 1000) < IdxSource.FASHION_MEAN_PIXEL);

    Path unnamed = tmp.resolve("data-a");
    writeIdx(fashion, unnamed, "train", true);
    assertEquals(
        FashionMnistFolders.CLASS_NAMES,
        new IdxSource(unnamed).classNames(fashion),
        "garments filling the frame are Fashion-MNIST whatever the folder's name");

    Path mnist = tmp.resolve("mnist");
    writeIdx(digits(100), mnist, "train", true);
    assertEquals("7", new IdxSource(mnist).classNames(digits(100)).get(7));

    Path fashionNamed = tmp.resolve("Fashion_dark");
    writeIdx(digits(100), fashionNamed, "train", true);
    assertEquals(
        "Sneaker",
        new IdxSource(fashionNamed).classNames(digits(100)).get(7),
        "a folder named after Fashion-MNIST");

    Files.write(
        mnist.resolve("classes.txt"),
        List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"));
    assertEquals("seven", new IdxSource(mnist).classNames(digits(100)).get(7));
    Files.write(mnist.resolve("classes.txt"), List.of("zero", "one"));
    BadInputException few =
        assertThrows(BadInputException.class, () -> new IdxSource(mnist).classNames(digits(100)));
    assertTrue(few.getMessage().contains("names 2 classes"), few.getMessage());
  }

  @Test
  void selectedClassesAreIngestedFromTheRealFashionMnist() throws Exception {
    IngestOutcome outcome =
        new Ingestor()
            .ingest(
                new IdxSource(FashionMnistFolders.DEFAULT_DIR),
                new IngestOptions(List.of("Trouser", "Bag"), 25, 1, GREY28, false),
                IngestProgress.NONE);

    assertEquals(List.of("Bag", "Trouser"), outcome.classes());
    Map<String, Map<String, Integer>> counts = outcome.counts();
    assertEquals(Map.of("Bag", 25, "Trouser", 25), counts.get("train"));
    assertEquals(Map.of("Bag", 1000, "Trouser", 1000), counts.get("val"), "every sixth of 6000");
    assertEquals(Map.of("Bag", 1000, "Trouser", 1000), counts.get("test"), "t10k");
    assertEquals("splits", outcome.profile().layout());
    assertFalse(outcome.profile().testCarvedFromTrain());
    assertTrue(outcome.rejected().isEmpty(), outcome.rejected().toString());
  }

  @Test
  void aMissingLabelFileIsBadInputNamingIt() throws Exception {
    Path dir = tmp.resolve("half");
    writeIdx(digits(10), dir, "train", false);
    Files.delete(dir.resolve("train-labels-idx1-ubyte"));
    BadInputException e = assertThrows(BadInputException.class, () -> new IdxSource(dir).files());
    assertTrue(e.getMessage().contains("no train-labels-idx1-ubyte"), e.getMessage());
  }
}
