package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.SampleShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestorTest {
  private static final SampleShape GREY28 = SampleShape.image(1, 28, 28);

  @TempDir Path dir;

  private static IngestOutcome ingest(Path source, IngestOptions options) throws IOException {
    return new Ingestor().ingest(new LocalFolderSource(source), options, IngestProgress.NONE);
  }

  private static IngestOutcome ingest(Path source) throws IOException {
    return ingest(source, IngestOptions.of(GREY28, 42));
  }

  private static Map<String, String> reasons(IngestOutcome outcome) {
    return outcome.rejected().stream()
        .collect(Collectors.toMap(RejectedFile::path, RejectedFile::reason));
  }

  private static int total(IngestOutcome outcome) {
    return outcome.splits().values().stream().mapToInt(LabeledImages::size).sum();
  }

  @Test
  void saltedFolderRejectsEveryBadFileWithAReasonAndIngestsTheRest() throws IOException {
    TestImages.export(dir, 12, 1, 0, 1, 4); // T-shirt_top, Trouser, Coat
    Path coat = dir.resolve("Coat");
    Path trouser = dir.resolve("Trouser");
    byte[] realPng;
    try (Stream<Path> files = Files.list(coat)) {
      realPng = Files.readAllBytes(files.sorted().findFirst().orElseThrow());
    }
    Files.write(coat.resolve("zero.png"), new byte[0]);
    Files.writeString(coat.resolve("notes.png"), "this is not an image\n");
    Files.write(trouser.resolve("truncated.png"), Arrays.copyOf(realPng, realPng.length * 6 / 10));
    byte[] noise = new byte[3000];
    new Random(7).nextBytes(noise);
    Files.write(trouser.resolve("random.jpg"), noise);
    Files.createDirectories(dir.resolve(".thumbnails"));
    Files.write(dir.resolve(".thumbnails/thumb.png"), realPng);
    Files.createDirectories(coat.resolve(".cache"));
    Files.write(coat.resolve(".cache/copy.png"), realPng);
    Files.write(coat.resolve(".DS_Store"), new byte[] {0, 0, 0, 1});
    Files.writeString(coat.resolve("readme.txt"), "labels by hand");
    Files.createDirectories(coat.resolve("nested"));
    Files.write(coat.resolve("nested/deep.png"), realPng);
    Files.write(dir.resolve("stray.png"), realPng);
    Files.write(coat.resolve("bomb.png"), TestImages.pngBomb(10_000, 10_000));
    Files.write(dir.resolve("_READY"), new byte[0]);

    IngestOutcome outcome = ingest(dir);

    Map<String, String> reasons = reasons(outcome);
    assertTrue(reasons.get("Coat/zero.png").contains("empty file"), reasons::toString);
    assertTrue(reasons.get("Coat/notes.png").contains("not recognised"), reasons::toString);
    assertTrue(
        reasons.get("Trouser/truncated.png").contains("corrupt or truncated PNG"),
        reasons::toString);
    assertTrue(reasons.get("Trouser/random.jpg").startsWith("not a JPEG image"), reasons::toString);
    assertTrue(reasons.get(".thumbnails/thumb.png").contains("hidden folder '.thumbnails'"));
    assertTrue(reasons.get("Coat/.cache/copy.png").contains("hidden folder '.cache'"));
    assertEquals("hidden file", reasons.get("Coat/.DS_Store"));
    assertTrue(reasons.get("Coat/readme.txt").contains("unsupported file type '.txt'"));
    assertTrue(reasons.get("Coat/nested/deep.png").contains("nested folder"));
    assertTrue(reasons.get("stray.png").contains("top level"));
    assertTrue(reasons.get("Coat/bomb.png").contains("100.0 megapixels"), reasons::toString);
    assertEquals(11, reasons.size(), "the _READY marker is not a file to reject: " + reasons);
    assertEquals(36, total(outcome));
    assertEquals(List.of("Coat", "T-shirt_top", "Trouser"), outcome.classes());
    assertEquals(outcome.rejected(), outcome.profile().rejected());
    List<String> paths = outcome.rejected().stream().map(RejectedFile::path).toList();
    assertEquals(paths.stream().sorted().toList(), paths, "rejected files are sorted by path");
  }

  @Test
  void unreadableFileIsRejected() throws IOException {
    Assumptions.assumeFalse(TestImages.runningAsRoot(), "root reads files without permission");
    TestImages.export(dir, 5, 1, 0, 1);
    Path locked = dir.resolve("Trouser/locked.png");
    Files.copy(dir.resolve("T-shirt_top").toFile().listFiles()[0].toPath(), locked);
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    IngestOutcome outcome = ingest(dir);
    assertEquals("unreadable: permission denied", reasons(outcome).get("Trouser/locked.png"));
  }

  @Test
  void entryThatCannotBeOpenedIsRejectedAndTheIngestGoesOn() throws IOException {
    TestImages.export(dir, 5, 1, 0, 1);
    ImageSource local = new LocalFolderSource(dir);
    ImageSource withLockedFile =
        () -> {
          List<SourceFile> files = new ArrayList<>(local.files());
          files.add(
              new SourceFile(
                  "Trouser/locked.png",
                  100,
                  () -> {
                    throw new AccessDeniedException("Trouser/locked.png");
                  }));
          return files;
        };
    IngestOutcome outcome =
        new Ingestor().ingest(withLockedFile, IngestOptions.of(GREY28, 1), IngestProgress.NONE);
    assertEquals("unreadable: permission denied", reasons(outcome).get("Trouser/locked.png"));
    assertEquals(10, total(outcome));
  }

  @Test
  void decodedPixelsAreTheOriginalFashionMnistBytes() throws IOException {
    TestImages.export(dir, 10, 3, 0, 9);
    IngestOutcome outcome = ingest(dir);
    Manifest manifest = Manifest.fromJson(outcome.manifestJson());
    assertEquals(20, manifest.images().size());
    LabeledImages source = TestImages.fashionMnist();
    for (ManifestEntry entry : manifest.images()) {
      String file = entry.path().substring(entry.path().indexOf('/') + 1);
      int index = Integer.parseInt(file.substring(0, file.indexOf('.')));
      LabeledImages split = outcome.split(entry.split());
      assertArrayEquals(source.image(index), split.image(entry.index()), entry.path());
      assertEquals(entry.className(), outcome.classes().get(split.label(entry.index())));
      assertEquals(FashionMnistFolders.CLASS_NAMES.get(source.label(index)), entry.className());
    }
  }

  @Test
  void emptyClassFolderIsBadInputNamingTheClass() throws IOException {
    TestImages.export(dir, 5, 1, 0, 1);
    Files.createDirectories(dir.resolve("Bag"));
    BadInputException e = assertThrows(BadInputException.class, () -> ingest(dir));
    assertEquals("class 'Bag' has no usable image (0 files rejected)", e.getMessage());
  }

  @Test
  void classWithOnlyBadFilesIsBadInputWithTheCount() throws IOException {
    TestImages.export(dir, 5, 1, 0, 1);
    Path bag = dir.resolve("Bag");
    Files.createDirectories(bag);
    Files.write(bag.resolve("a.png"), new byte[0]);
    Files.writeString(bag.resolve("b.png"), "text");
    Files.writeString(bag.resolve("c.txt"), "text");
    BadInputException e = assertThrows(BadInputException.class, () -> ingest(dir));
    assertEquals("class 'Bag' has no usable image (3 files rejected)", e.getMessage());
  }

  @Test
  void usageErrorsNameWhatIsWrong() throws IOException {
    BadInputException missing =
        assertThrows(BadInputException.class, () -> ingest(dir.resolve("nowhere")));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    Path file = Files.writeString(dir.resolve("file.png"), "x");
    BadInputException notFolder = assertThrows(BadInputException.class, () -> ingest(file));
    assertTrue(notFolder.getMessage().contains("is not a folder"), notFolder.getMessage());

    Path data = dir.resolve("data");
    TestImages.export(data, 4, 1, 0, 1);
    BadInputException unknown =
        assertThrows(
            BadInputException.class,
            () -> ingest(data, new IngestOptions(List.of("Trouser", "Hat"), 0, 1, GREY28, false)));
    assertTrue(
        unknown.getMessage().startsWith("class 'Hat' given in --classes does not exist"),
        unknown.getMessage());
    BadInputException one =
        assertThrows(
            BadInputException.class,
            () -> ingest(data, new IngestOptions(List.of("Trouser"), 0, 1, GREY28, false)));
    assertTrue(
        one.getMessage().startsWith("need at least two classes, found 1: 'Trouser'"),
        one.getMessage());

    Path single = dir.resolve("single");
    TestImages.export(single, 4, 1, 3);
    BadInputException oneClass = assertThrows(BadInputException.class, () -> ingest(single));
    assertTrue(oneClass.getMessage().contains("need at least two classes"));
  }

  @Test
  void splitsWithDifferentClassesNameTheMissingClasses() throws IOException {
    TestImages.export(dir.resolve("train"), 6, 1, 0, 1, 8, 9);
    TestImages.export(dir.resolve("val"), 3, 2, 0, 1, 9);
    TestImages.export(dir.resolve("test"), 3, 3, 0, 8, 9);
    BadInputException e = assertThrows(BadInputException.class, () -> ingest(dir));
    assertEquals(
        "train/, val/ and test/ must hold the same class folders: 'Bag' is missing "
            + "from val/; 'Trouser' is missing from test/",
        e.getMessage());
    // Selecting the classes every split has makes the source usable.
    IngestOutcome outcome =
        ingest(dir, new IngestOptions(List.of("T-shirt_top", "Ankle_boot"), 0, 1, GREY28, false));
    assertEquals(List.of("Ankle_boot", "T-shirt_top"), outcome.classes());
    assertEquals(Map.of("Ankle_boot", 3, "T-shirt_top", 3), outcome.counts().get("test"));
  }

  @Test
  void copiesFromValIntoTrainAreCountedAsLeakage() throws IOException {
    LabeledImages all = TestImages.fashionMnist();
    FashionMnistFolders.export(
        TestImages.slice(all, 0, 5000), new int[] {0, 1, 7}, 20, 1, dir.resolve("train"));
    FashionMnistFolders.export(
        TestImages.slice(all, 5000, 10000), new int[] {0, 1, 7}, 6, 1, dir.resolve("val"));
    IngestOutcome clean = ingest(dir);
    assertTrue(clean.profile().testCarvedFromTrain());
    assertEquals("splits", clean.profile().layout());
    assertEquals(
        Map.of("T-shirt_top", 6, "Trouser", 6, "Sneaker", 6),
        clean.counts().get("val"),
        "user's val split is kept as given");
    assertEquals(3, clean.counts().get("test").get("Trouser"), "15% of 20 carved into test");
    assertEquals(17, clean.counts().get("train").get("Trouser"));
    int before = clean.profile().duplicatesAcrossSplits();

    List<Path> val;
    try (Stream<Path> files = Files.walk(dir.resolve("val"))) {
      val = files.filter(Files::isRegularFile).sorted().limit(5).toList();
    }
    for (Path v : val) {
      Path target =
          dir.resolve("train")
              .resolve(v.getParent().getFileName())
              .resolve("copy-" + v.getFileName());
      Files.copy(v, target);
    }
    IngestOutcome leaky = ingest(dir);
    assertTrue(
        leaky.profile().duplicatesAcrossSplits() >= before + 5,
        "before " + before + ", after " + leaky.profile().duplicatesAcrossSplits());
    Set<String> leakedVal =
        leaky.profile().duplicatePairs().stream()
            .filter(p -> !p.firstSplit().equals(p.secondSplit()))
            .flatMap(p -> Stream.of(p.first(), p.second()))
            .collect(Collectors.toSet());
    for (Path v : val) {
      String relative = dir.relativize(v).toString().replace('\\', '/');
      assertTrue(leakedVal.contains(relative), relative + " not in " + leakedVal);
    }
    assertNotEquals(clean.contentId(), leaky.contentId());
  }

  @Test
  void nearDuplicateAcrossSplitsIsListed() throws IOException {
    LabeledImages all = TestImages.fashionMnist();
    FashionMnistFolders.export(
        TestImages.slice(all, 0, 5000), new int[] {5, 8}, 10, 1, dir.resolve("train"));
    FashionMnistFolders.export(
        TestImages.slice(all, 5000, 10000), new int[] {5, 8}, 4, 1, dir.resolve("val"));
    FashionMnistFolders.export(
        TestImages.slice(all, 5000, 10000), new int[] {5, 8}, 4, 2, dir.resolve("test"));
    Path original;
    try (Stream<Path> files = Files.list(dir.resolve("val/Bag"))) {
      original = files.sorted().findFirst().orElseThrow();
    }
    byte[] pixels = decodeGrey(original);
    pixels[0] = (byte) ((pixels[0] & 0xff) ^ 3); // a corner pixel changes: new bytes, same look
    TestImages.write(pixels, GREY28, "png", dir.resolve("train/Bag/edited.png"));

    IngestOutcome outcome = ingest(dir);
    String originalPath = "val/Bag/" + original.getFileName();
    DuplicatePair pair =
        outcome.profile().nearDuplicatePairs().stream()
            .filter(
                p -> p.first().equals("train/Bag/edited.png") && p.second().equals(originalPath))
            .findFirst()
            .orElseThrow(() -> new AssertionError(outcome.profile().nearDuplicatePairs()));
    assertTrue(pair.distance() <= 4);
    assertTrue(outcome.profile().nearDuplicatesAcrossSplits() >= 1);
  }

  @Test
  void aValImageSavedAgainAsBmpInTrainIsAnExactCopy() throws IOException {
    LabeledImages all = TestImages.fashionMnist();
    FashionMnistFolders.export(
        TestImages.slice(all, 0, 5000), new int[] {5, 8}, 10, 1, dir.resolve("train"));
    FashionMnistFolders.export(
        TestImages.slice(all, 5000, 10000), new int[] {5, 8}, 4, 1, dir.resolve("val"));
    Path original;
    try (Stream<Path> files = Files.list(dir.resolve("val/Bag"))) {
      original = files.sorted().findFirst().orElseThrow();
    }
    // other bytes, same pixels: what a re-export or a format conversion leaves behind
    TestImages.write(decodeGrey(original), GREY28, "bmp", dir.resolve("train/Bag/resaved.bmp"));
    IngestOutcome outcome = ingest(dir);
    String originalPath = "val/Bag/" + original.getFileName();
    assertTrue(
        outcome.profile().duplicatePairs().stream()
            .anyMatch(
                p -> p.first().equals("train/Bag/resaved.bmp") && p.second().equals(originalPath)),
        outcome.profile().duplicatePairs().toString());
    assertTrue(outcome.profile().duplicatesAcrossSplits() >= 1);
  }

  private static byte[] decodeGrey(Path png) throws IOException {
    BufferedImage image = ImageIO.read(png.toFile());
    byte[] pixels = new byte[28 * 28];
    image.getRaster().getDataElements(0, 0, 28, 28, pixels);
    return pixels;
  }

  @Test
  void sameSeedGivesByteIdenticalOutputWhateverTheThreads() throws IOException {
    TestImages.export(dir, 20, 5, 0, 2, 4, 6);
    IngestOptions options = IngestOptions.of(GREY28, 11);
    IngestOutcome a =
        new Ingestor(1).ingest(new LocalFolderSource(dir), options, IngestProgress.NONE);
    IngestOutcome b =
        new Ingestor(2).ingest(new LocalFolderSource(dir), options, IngestProgress.NONE);
    assertArrayEquals(a.manifestJson(), b.manifestJson());
    assertArrayEquals(a.profile().toJson(), b.profile().toJson());
    assertEquals(a.contentId(), b.contentId());
    for (String split : List.of("train", "val", "test")) {
      assertArrayEquals(ShardCodec.encode(a.split(split)), ShardCodec.encode(b.split(split)));
    }
  }

  @Test
  void differentSeedGivesADifferentSplitWithTheSameCounts() throws IOException {
    TestImages.export(dir, 20, 5, 0, 2, 4, 6);
    IngestOutcome a = ingest(dir, IngestOptions.of(GREY28, 11));
    IngestOutcome b = ingest(dir, IngestOptions.of(GREY28, 12));
    assertEquals(a.counts(), b.counts());
    assertEquals(
        Map.of("Coat", 14, "Pullover", 14, "Shirt", 14, "T-shirt_top", 14),
        a.counts().get("train"));
    assertEquals(3, a.counts().get("val").get("Coat"));
    assertEquals(3, a.counts().get("test").get("Coat"));
    assertNotEquals(splitOf(a), splitOf(b));
    assertFalse(Arrays.equals(a.manifestJson(), b.manifestJson()));
    assertNotEquals(a.contentId(), b.contentId());
  }

  private static Map<String, String> splitOf(IngestOutcome outcome) throws IOException {
    return Manifest.fromJson(outcome.manifestJson()).images().stream()
        .collect(Collectors.toMap(ManifestEntry::path, ManifestEntry::split));
  }

  @Test
  void splitDoesNotDependOnFileNames() throws IOException {
    Path a = dir.resolve("a");
    TestImages.export(a, 10, 5, 1, 3);
    IngestOutcome before = ingest(a);
    try (Stream<Path> files = Files.walk(a)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.move(f, f.resolveSibling("renamed-" + f.getFileName()));
      }
    }
    IngestOutcome after = ingest(a);
    for (String split : List.of("train", "val", "test")) {
      assertArrayEquals(
          ShardCodec.encode(before.split(split)), ShardCodec.encode(after.split(split)));
    }
    assertNotEquals(before.contentId(), after.contentId(), "the manifest's paths changed");
    assertEquals(after.contentId(), ingest(a).contentId(), "unchanged files, same id");
  }

  @Test
  void perClassCapsOnlyTheTrainingImages() throws IOException {
    TestImages.export(dir, 20, 5, 0, 1, 2);
    IngestOutcome all = ingest(dir, IngestOptions.of(GREY28, 3));
    IngestOutcome capped = ingest(dir, new IngestOptions(List.of(), 5, 3, GREY28, false));
    assertEquals(
        Map.of("T-shirt_top", 5, "Trouser", 5, "Pullover", 5), capped.counts().get("train"));
    assertEquals(all.counts().get("val"), capped.counts().get("val"));
    assertEquals(all.counts().get("test"), capped.counts().get("test"));
    assertArrayEquals(ShardCodec.encode(all.split("val")), ShardCodec.encode(capped.split("val")));
    assertEquals(9, capped.profile().cappedOut().get("Trouser"));
    Map<String, String> trainAll = splitOf(all);
    Map<String, String> trainCapped = splitOf(capped);
    trainCapped.forEach((path, split) -> assertEquals(trainAll.get(path), split, path));
  }

  @Test
  void classesOptionKeepsOnlyTheSelectedClassesInSortedLabelOrder() throws IOException {
    TestImages.export(dir, 6, 5, 0, 1, 8, 9);
    Files.write(dir.resolve("Sandal-not-selected.png"), new byte[0]);
    IngestOutcome outcome =
        ingest(dir, new IngestOptions(List.of("Trouser", "Ankle_boot"), 0, 1, GREY28, false));
    assertEquals(List.of("Ankle_boot", "Trouser"), outcome.classes());
    assertEquals(12, total(outcome));
    LabeledImages train = outcome.split("train");
    for (int label : train.labels()) {
      assertTrue(label == 0 || label == 1);
    }
  }

  @Test
  void detectChannelsAndConversionBetweenGreyAndColour() throws IOException {
    TestImages.export(dir, 5, 5, 0, 1);
    IngestOutcome grey =
        ingest(dir, new IngestOptions(List.of(), 0, 1, SampleShape.image(3, 28, 28), true));
    assertEquals(1, grey.shape().channels(), "every image is grey");
    IngestOutcome replicated =
        ingest(dir, new IngestOptions(List.of(), 0, 1, SampleShape.image(3, 28, 28), false));
    assertEquals(3, replicated.shape().channels());
    byte[] g = grey.split("train").image(0);
    byte[] rgb = replicated.split("train").image(0);
    for (int c = 0; c < 3; c++) {
      assertArrayEquals(g, Arrays.copyOfRange(rgb, c * g.length, (c + 1) * g.length));
    }

    TestImages.write(
        TestImages.redBlueCard(40, 60),
        SampleShape.image(3, 40, 60),
        "png",
        dir.resolve("Trouser/colour.png"));
    IngestOutcome colour = ingest(dir, new IngestOptions(List.of(), 0, 1, GREY28, true));
    assertEquals(3, colour.shape().channels(), "one colour image makes the dataset colour");
    assertEquals(1, colour.profile().colourImages());
    assertEquals(1, colour.profile().imageSizes().get("60x40"));
    assertEquals(10, colour.profile().imageSizes().get("28x28"));
  }

  @Test
  void profileHasStatisticsAndSurvivesJson() throws IOException {
    TestImages.export(dir, 10, 5, 0, 1, 2);
    Files.write(dir.resolve("T-shirt_top/zero.png"), new byte[0]);
    IngestOutcome outcome = ingest(dir);
    DatasetProfile profile = outcome.profile();
    assertEquals(1.0, profile.imbalanceRatio());
    PixelStats train = profile.pixels().get("train");
    long values = (long) outcome.split("train").pixels().length;
    assertEquals(values, train.histogram().stream().mapToLong(Long::longValue).sum());
    assertEquals(16, train.histogram().size());
    double mean = 0;
    for (byte b : outcome.split("train").pixels()) {
      mean += b & 0xff;
    }
    assertEquals(mean / values, train.mean(), 1e-5);
    assertTrue(train.std() > 10);
    assertEquals(profile, DatasetProfile.fromJson(profile.toJson()));
    String json = new String(profile.toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"duplicatesAcrossSplits\""), json);
    assertTrue(json.contains("\"reason\" : \"empty file (0 bytes)\""), json);
    String manifest = new String(outcome.manifestJson(), StandardCharsets.UTF_8);
    assertTrue(manifest.contains("\"class\" : \"Trouser\""), manifest);
  }

  @Test
  void imbalanceRatioIsLargestOverSmallestTrainingClass() throws IOException {
    TestImages.export(dir, 20, 5, 0);
    TestImages.export(dir, 10, 5, 1);
    IngestOutcome outcome = ingest(dir);
    assertEquals(Map.of("T-shirt_top", 14, "Trouser", 6), outcome.counts().get("train"));
    assertEquals(14.0 / 6.0, outcome.profile().imbalanceRatio(), 1e-6);
  }

  @Test
  void progressCountsUpToTheNumberOfFiles() throws IOException {
    TestImages.export(dir, 7, 5, 0, 1);
    Files.write(dir.resolve("Trouser/zero.png"), new byte[0]);
    List<int[]> calls = new ArrayList<>();
    new Ingestor()
        .ingest(
            new LocalFolderSource(dir),
            IngestOptions.of(GREY28, 1),
            (done, total) -> calls.add(new int[] {done, total}));
    assertArrayEquals(new int[] {0, 15}, calls.get(0));
    assertArrayEquals(new int[] {15, 15}, calls.get(calls.size() - 1));
    for (int i = 1; i < calls.size(); i++) {
      assertEquals(calls.get(i - 1)[0] + 1, calls.get(i)[0]);
    }
  }

  @Test
  void resizesToTheTargetShape() throws IOException {
    TestImages.export(dir, 4, 5, 0, 1);
    IngestOutcome outcome = ingest(dir, IngestOptions.of(SampleShape.image(1, 56, 40), 1));
    assertEquals(SampleShape.image(1, 56, 40), outcome.split("train").shape());
    assertEquals(outcome.split("train").size() * 56 * 40, outcome.split("train").pixels().length);
    assertEquals(8, total(outcome));
  }
}
