package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images read through the seam for kinds of data give what the image classes give directly. */
class DataKindTest {
  private static final SampleShape GREY28 = SampleShape.image(1, 28, 28);

  @TempDir Path dir;

  private static SourceFile file(Path root, Path file) throws IOException {
    return new SourceFile(
        root.relativize(file).toString(), Files.size(file), () -> Files.newInputStream(file));
  }

  private List<SourceFile> files() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile)
          .sorted()
          .map(
              f -> {
                try {
                  return file(dir, f);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  @Test
  void anImageShapeIsReadByTheImageKind() {
    assertSame(ImageKind.INSTANCE, DataKind.of(GREY28));
    assertEquals(SampleKind.IMAGE, DataKind.of(GREY28).kind());
    assertEquals(
        List.of("cnn", "resnet18", "resnet50", "torchscript"), ImageKind.INSTANCE.architectures());
    assertSame(TableKind.INSTANCE, DataKind.of(SampleKind.TABLE));
    assertSame(ClipKind.INSTANCE, DataKind.of(SampleKind.CLIP));
    assertEquals(List.of("c3d"), ClipKind.INSTANCE.architectures());
  }

  @Test
  void imagesReadThroughTheKindGiveTheDecodersSamplesAndHashes() throws Exception {
    TestImages.export(dir, 3, 1, 0, 1);
    Files.write(dir.resolve("Trouser/broken.png"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("Trouser/empty.png"), new byte[0]);
    DataKind kind = ImageKind.INSTANCE;
    ImageDecoder decoder = new ImageDecoder(28, 28);
    for (SourceFile f : files()) {
      DecodeResult result = kind.read(f, GREY28);
      try {
        DecodedImage direct = decoder.decode(f);
        assertNotNull(result.image(), f.path());
        assertEquals(direct.sha256(), result.image().sha256());
        assertArrayEquals(direct.pixels(), result.image().pixels());
        assertEquals(direct.dHash(), result.image().dHash());
        assertEquals(direct.contentKey(), result.image().contentKey());
        assertEquals("sha256\t" + ImageDecoder.contentHash(f), kind.contentIdentity(f));
      } catch (ImageDecoder.Rejection r) {
        assertNull(result.image(), f.path());
        assertEquals(r.getMessage(), result.rejection());
      }
      assertEquals(f.path(), kind.splitGroup(f.path()), "an image is its own split group");
      assertEquals(ImageDecoder.extensionProblem(f.name()), kind.fileProblem(f.name()));
    }
    assertEquals(
        "rejected\tempty file (0 bytes)",
        kind.contentIdentity(file(dir, dir.resolve("Trouser/empty.png"))));
    assertTrue(kind.fileProblem("notes.txt").startsWith("unsupported file type '.txt'"));
  }

  @Test
  void theStoredShapeIsGreyOnlyWhenEveryImageIsAndChannelsAreDetected() throws Exception {
    Files.createDirectories(dir.resolve("c"));
    Path colour = dir.resolve("c/colour.png");
    TestImages.write(TestImages.redBlueCard(40, 30), SampleShape.image(3, 40, 30), "png", colour);
    DecodedImage image = ImageKind.INSTANCE.read(file(dir, colour), GREY28).image();
    SampleShape rgb = SampleShape.image(3, 28, 28);
    assertEquals(rgb, ImageKind.INSTANCE.storedShape(GREY28, true, List.of(image)));
    assertEquals(GREY28, ImageKind.INSTANCE.storedShape(GREY28, false, List.of(image)));
    assertEquals(GREY28, ImageKind.INSTANCE.storedShape(rgb, true, List.of()));
  }

  @Test
  void augmentationAndStatisticsAreTheImagePolicyAndPixelStatistics() throws Exception {
    for (Augment recipe : Augment.values()) {
      assertEquals(AugmentationPolicy.of(recipe), ImageKind.INSTANCE.augmenter(recipe));
    }
    assertSame(Augmenter.NONE, ImageKind.INSTANCE.augmenter(Augment.NONE));

    TestImages.export(dir, 6, 1, 0, 1);
    IngestOutcome outcome =
        new Ingestor(1)
            .ingest(new LocalFolderSource(dir), IngestOptions.of(GREY28, 3), IngestProgress.NONE);
    PixelStats train = outcome.profile().pixels().get("train");
    Optional<SourceStats> stats = ImageKind.INSTANCE.sourceStats(outcome.profile());
    assertEquals(train.mean(), stats.orElseThrow().mean());
    assertEquals(train.std(), stats.orElseThrow().std());
    assertArrayEquals(
        train.histogram().stream().mapToLong(Long::longValue).toArray(),
        stats.orElseThrow().histogram());
  }

  /** The image kind, but with every file of a name before '_' in one group (one "video"). */
  private static final class Grouped implements DataKind {
    @Override
    public SampleKind kind() {
      return SampleKind.IMAGE;
    }

    @Override
    public String fileProblem(String fileName) {
      return ImageKind.INSTANCE.fileProblem(fileName);
    }

    @Override
    public DecodeResult read(SourceFile file, SampleShape target) {
      return ImageKind.INSTANCE.read(file, target);
    }

    @Override
    public String contentIdentity(SourceFile file) {
      return ImageKind.INSTANCE.contentIdentity(file);
    }

    @Override
    public String splitGroup(String path) {
      return path.substring(0, path.lastIndexOf('_'));
    }

    @Override
    public SampleShape storedShape(
        SampleShape requested, boolean detectChannels, List<DecodedImage> samples) {
      return requested;
    }

    @Override
    public Augmenter augmenter(Augment recipe) {
      return Augmenter.NONE;
    }

    @Override
    public Optional<SourceStats> sourceStats(DatasetProfile profile) {
      return Optional.empty();
    }

    @Override
    public List<String> architectures() {
      return List.of();
    }
  }

  @Test
  void samplesOfOneGroupLandInOneSplit() throws Exception {
    LabeledImages images = TestImages.fashionMnist();
    List<AcceptedImage> accepted = new java.util.ArrayList<>();
    ImageDecoder decoder = new ImageDecoder(28, 28);
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    int[] perClass = new int[2];
    for (int i = 0; perClass[0] + perClass[1] < 80; i++) {
      int label = images.label(i);
      if (label > 1 || perClass[label] == 40) {
        continue;
      }
      String cls = label == 0 ? "a" : "b";
      int n = perClass[label]++;
      Path png = dir.resolve(cls + "/video" + (n / 4) + "_" + (n % 4) + ".png");
      FashionMnistFolders.writePng(images.image(i), GREY28, png);
      SourceFile f = file(dir, png);
      accepted.add(
          new AcceptedImage(
              new SourceLayout.Placement(f, null, cls, null), decoder.decode(f), label));
    }
    SourceLayout layout = SourceLayout.detect(files());
    SplitPlan grouped =
        SplitPlan.of(
            layout, List.of("a", "b"), accepted, IngestOptions.of(GREY28, 5), new Grouped());
    Map<String, Integer> splitOfGroup = new HashMap<>();
    for (int s = 0; s < 3; s++) {
      for (AcceptedImage a : grouped.split(s)) {
        String group = a.path().substring(0, a.path().lastIndexOf('_'));
        Integer before = splitOfGroup.put(group, s);
        assertTrue(before == null || before == s, group + " is in two splits");
      }
    }
    assertEquals(20, splitOfGroup.size());
    for (int s = 0; s < 3; s++) {
      assertTrue(grouped.split(s).size() % 4 == 0, "whole groups only");
      assertTrue(!grouped.split(s).isEmpty());
    }
  }
}
