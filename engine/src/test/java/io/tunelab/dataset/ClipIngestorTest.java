package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.SyntheticClips.Format;
import io.tunelab.dataset.SyntheticClips.Motion;
import io.tunelab.dataset.SyntheticClips.Spec;
import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.Json;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.ClipStacks;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clip ingest on generated clips: frame folders and MP4s cut into stacks by frames and stride,
 * corrupt and too-short videos rejected and listed, every video's stacks in one split, and a video
 * copied into two splits counted.
 */
class ClipIngestorTest {
  private static final List<Motion> MOTIONS = List.of(Motion.MOVE_RIGHT, Motion.GROW);

  @TempDir Path dir;

  private static SyntheticClips generator() {
    return new SyntheticClips(TestImages.slice(TestImages.fashionMnist(), 0, 100));
  }

  private static ClipIngestor.ClipOptions options(int frames, int stride) {
    return new ClipIngestor.ClipOptions(
        new IngestOptions(List.of(), 0, 7, SampleShape.clip(1, frames, 32, 32), true), stride);
  }

  @Test
  void cutsFrameFoldersIntoStacksOfConsecutiveFramesEveryStride() throws Exception {
    SyntheticClips clips = generator();
    Spec spec = new Spec(MOTIONS, 5, 20, 32, 1);
    clips.write(spec, Format.FRAMES, dir);
    ClipIngestor ingestor = new ClipIngestor(2);

    IngestOutcome outcome =
        ingestor.ingest(new LocalFolderSource(dir), options(8, 4), (d, t) -> {});
    assertEquals(List.of("grow", "move-right"), outcome.classes());
    assertEquals(SampleShape.clip(1, 8, 32, 32), outcome.shape(), "grey videos, one channel");
    int stacks = outcome.splits().values().stream().mapToInt(LabeledImages::size).sum();
    assertEquals(10 * ClipIngestor.stacks(20, 8, 4), stacks);
    assertEquals(4, ClipIngestor.stacks(20, 8, 4));
    assertEquals(2, ClipIngestor.stacks(20, 8, 8));

    // each stack holds its video's frames start .. start+7, as drawn (PNG is lossless)
    Manifest manifest = Json.read(outcome.manifestJson(), Manifest.class);
    ManifestEntry entry =
        manifest.images().stream()
            .filter(e -> e.path().equals("grow/v002#frames=4-11"))
            .findFirst()
            .orElseThrow();
    byte[] stack = outcome.split(entry.split()).image(entry.index());
    List<byte[]> drawn = clips.video(Motion.GROW, 20, 32, 1 * 1_000_003L + 6 * 10_007L + 2);
    for (int t = 0; t < 8; t++) {
      assertArrayEquals(
          drawn.get(4 + t),
          java.util.Arrays.copyOfRange(stack, t * 1024, (t + 1) * 1024),
          "frame " + t + " of the stack is the video's frame " + (4 + t));
    }
    assertEquals(
        outcome.contentId(),
        ingestor.contentId(new LocalFolderSource(dir), options(8, 4), (d, t) -> {}),
        "the id before decoding is the ingest's");

    DatasetProfile profile = outcome.profile();
    assertEquals(8, profile.clips().frames());
    assertEquals(4, profile.clips().stride());
    int videos = 0;
    for (Map<String, Integer> perClass : profile.clips().videos().values()) {
      videos += perClass.values().stream().mapToInt(Integer::intValue).sum();
    }
    assertEquals(10, videos);
    assertEquals(
        4 * profile.clips().videos().get("train").get("grow"),
        profile.counts().get("train").get("grow"));
    assertEquals(0, profile.duplicatesAcrossSplits());
  }

  @Test
  void everyStackOfAVideoLandsInOneSplit() throws Exception {
    generator().write(new Spec(MOTIONS, 12, 16, 32, 2), Format.FRAMES, dir);
    IngestOutcome outcome =
        new ClipIngestor(2).ingest(new LocalFolderSource(dir), options(4, 2), (d, t) -> {});
    Manifest manifest = Json.read(outcome.manifestJson(), Manifest.class);
    Map<String, String> splitOf = new HashMap<>();
    for (ManifestEntry e : manifest.images()) {
      String video = ClipKind.INSTANCE.splitGroup(e.path());
      String before = splitOf.putIfAbsent(video, e.split());
      assertTrue(
          before == null || before.equals(e.split()),
          video + " is in " + before + " and " + e.split());
    }
    assertEquals(24, splitOf.size());
    assertTrue(splitOf.containsValue("val") && splitOf.containsValue("test"));
    assertEquals(24 * ClipIngestor.stacks(16, 4, 2), manifest.images().size());
  }

  @Test
  void decodesMp4sAndRejectsCorruptAndTooShortVideosAndGoesOn() throws Exception {
    SyntheticClips clips = generator();
    clips.write(new Spec(MOTIONS, 4, 12, 32, 3), Format.MP4, dir);
    byte[] junk = new byte[5000];
    new Random(1).nextBytes(junk);
    Files.write(dir.resolve("grow/corrupt.mp4"), junk);
    Files.write(dir.resolve("grow/empty.mp4"), new byte[0]);
    Mp4Writer.write(
        clips.video(Motion.GROW, 5, 32, 9), 1, 32, 32, 25, dir.resolve("move-right/short.mp4"));
    Files.writeString(dir.resolve("grow/notes.txt"), "not a video");

    IngestOutcome outcome =
        new ClipIngestor(2).ingest(new LocalFolderSource(dir), options(8, 4), (d, t) -> {});
    Map<String, String> rejected = new HashMap<>();
    outcome.rejected().forEach(r -> rejected.put(r.path(), r.reason()));
    assertEquals(4, rejected.size(), rejected.toString());
    assertTrue(rejected.get("grow/corrupt.mp4").startsWith("not a video"), rejected.toString());
    assertEquals("empty file (0 bytes)", rejected.get("grow/empty.mp4"));
    assertEquals(
        "too short: 5 frames, a stack takes 8 (--clip-frames)",
        rejected.get("move-right/short.mp4"));
    assertTrue(rejected.get("grow/notes.txt").startsWith("unsupported video type '.txt'"));
    int stacks = outcome.splits().values().stream().mapToInt(LabeledImages::size).sum();
    assertEquals(8 * ClipIngestor.stacks(12, 8, 4), stacks, "the 8 good videos are ingested");
    assertEquals(1, outcome.shape().channels(), "grey through H.264 stays grey");
  }

  @Test
  void countsAVideoCopiedIntoTwoSplits() throws Exception {
    SyntheticClips clips = generator();
    for (String split : List.of("train", "val", "test")) {
      clips.write(new Spec(MOTIONS, 2, 10, 32, split.hashCode()), Format.MP4, dir.resolve(split));
    }
    Files.copy(dir.resolve("train/grow/v000.mp4"), dir.resolve("val/grow/copy.mp4"));
    IngestOutcome outcome =
        new ClipIngestor(1).ingest(new LocalFolderSource(dir), options(8, 8), (d, t) -> {});
    DatasetProfile profile = outcome.profile();
    assertEquals("splits", profile.layout());
    assertEquals(1, profile.duplicatesAcrossSplits());
    DuplicatePair pair = profile.duplicatePairs().get(0);
    assertEquals("train/grow/v000.mp4", pair.first());
    assertEquals("val/grow/copy.mp4", pair.second());
    assertEquals(3, profile.clips().videos().get("val").get("grow"), "kept as given");
  }

  @Test
  void tellsClipSourcesFromImageSources() throws Exception {
    generator().write(new Spec(MOTIONS, 1, 3, 32, 4), Format.FRAMES, dir.resolve("frames"));
    generator().write(new Spec(MOTIONS, 1, 3, 32, 4), Format.MP4, dir.resolve("mp4"));
    FashionMnistFolders.export(
        TestImages.fashionMnist(), new int[] {1, 2}, 2, 1, dir.resolve("img"));
    assertTrue(ClipIngestor.holdsClips(new LocalFolderSource(dir.resolve("frames")).files()));
    assertTrue(ClipIngestor.holdsClips(new LocalFolderSource(dir.resolve("mp4")).files()));
    assertFalse(ClipIngestor.holdsClips(new LocalFolderSource(dir.resolve("img")).files()));
  }

  @Test
  void storesClipShardsThatReadBackAndReusesTheIngest() throws Exception {
    generator().write(new Spec(MOTIONS, 4, 10, 32, 5), Format.MP4, dir.resolve("data"));
    ObjectStore store = new InMemoryObjectStore();
    DatasetIngest ingest =
        new DatasetIngest(
            store,
            new Ingestor(1),
            null,
            (train, augmenter, seed) -> {
              throw new AssertionError("clips have no preview");
            });
    IngestRequest request =
        new IngestRequest(
            dir.resolve("data").toString(),
            List.of(),
            0,
            3,
            SampleShape.image(1, 28, 28),
            true,
            null,
            null,
            null,
            new ClipStacks(8, null, null),
            List.of());
    DatasetRef ref = ingest.ingest(request, stage -> {});
    assertEquals(SampleKind.CLIP, ref.shape().kind());
    assertEquals(SampleShape.clip(1, 8, 32, 32), ref.shape(), "frame size 32 by default");
    LabeledImages train = ShardCodec.decode(store.get(ref.shardKeys().get("train")));
    assertEquals(ref.shape(), train.shape());
    assertEquals(ref.size("train"), train.size());
    assertEquals(ref, ingest.ingest(request, stage -> {}), "the same content is reused");

    // a run whose pretrained model takes images is refused
    IngestRequest imageModel =
        new IngestRequest(
            dir.resolve("data").toString(), List.of(), 0, 3, SampleShape.image(1, 28, 28), false);
    BadInputException e =
        assertThrows(BadInputException.class, () -> ingest.ingest(imageModel, stage -> {}));
    assertTrue(e.getMessage().contains("holds video clips"), e.getMessage());
    // a clip model's input decides the stack; a flag that contradicts it is refused
    IngestRequest clipModel =
        new IngestRequest(
            dir.resolve("data").toString(),
            List.of(),
            0,
            3,
            SampleShape.clip(1, 8, 32, 32),
            false,
            null,
            null,
            null,
            new ClipStacks(4, null, null),
            List.of());
    e = assertThrows(BadInputException.class, () -> ingest.ingest(clipModel, stage -> {}));
    assertEquals("--clip-frames 4: the pretrained model takes 8 frames", e.getMessage());
  }
}
