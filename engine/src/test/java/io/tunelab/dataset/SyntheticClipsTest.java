package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.SyntheticClips.Format;
import io.tunelab.dataset.SyntheticClips.Motion;
import io.tunelab.dataset.SyntheticClips.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic action clips: seeded, written as frame folders and as MP4s that decode back. */
class SyntheticClipsTest {
  @TempDir Path dir;

  private static SyntheticClips clips() {
    return new SyntheticClips(TestImages.slice(TestImages.fashionMnist(), 0, 200));
  }

  @Test
  void theSameSeedGivesTheSamePixelsAndTheMotionIsTheClass() {
    SyntheticClips clips = clips();
    List<byte[]> a = clips.video(Motion.MOVE_RIGHT, 12, 32, 5);
    List<byte[]> b = clips.video(Motion.MOVE_RIGHT, 12, 32, 5);
    for (int f = 0; f < a.size(); f++) {
      assertArrayEquals(a.get(f), b.get(f), "frame " + f);
    }
    // the same garment and start moving right or left: the middle frames agree, the ends do not
    List<byte[]> left = clips.video(Motion.MOVE_LEFT, 13, 32, 5);
    List<byte[]> right = clips.video(Motion.MOVE_RIGHT, 13, 32, 5);
    assertTrue(meanAbs(left.get(6), right.get(6)) < 10, "one frame cannot tell the motion");
    assertTrue(meanAbs(left.get(12), right.get(12)) > 10, "the motion can");
    assertTrue(centreX(right.get(12)) > centreX(right.get(0)) + 5, "moves right");
    assertTrue(centreX(left.get(12)) < centreX(left.get(0)) - 5, "moves left");
  }

  @Test
  void sourceAndTargetShareSomeMotionsAndTheTargetAddsOthers() {
    assertTrue(SyntheticClips.TARGET.stream().anyMatch(SyntheticClips.SOURCE::contains));
    assertTrue(SyntheticClips.TARGET.stream().anyMatch(m -> !SyntheticClips.SOURCE.contains(m)));
    assertEquals("turn-clockwise", Motion.TURN_CLOCKWISE.folder());
  }

  @Test
  void writesFrameFoldersAndMp4sThatDecodeToTheSameFrames() throws Exception {
    SyntheticClips clips = clips();
    Spec spec = new Spec(List.of(Motion.GROW, Motion.TURN_CLOCKWISE), 2, 10, 32, 3);
    List<Path> folders = clips.write(spec, Format.FRAMES, dir.resolve("frames"));
    List<Path> videos = clips.write(spec, Format.MP4, dir.resolve("mp4"));
    assertEquals(4, folders.size());
    assertEquals(dir.resolve("frames/grow/v000"), folders.get(0));
    assertEquals(dir.resolve("mp4/grow/v000.mp4"), videos.get(0));
    try (Stream<Path> frames = Files.list(folders.get(0))) {
      assertEquals(10, frames.count());
    }
    VideoDecoder.Frames decoded = VideoDecoder.decode(Files.readAllBytes(videos.get(0)), 32);
    assertEquals(10, decoded.frames().size());
    assertEquals(32, decoded.width());
    assertTrue(decoded.grey(), "grey frames stay grey through H.264");
    List<byte[]> original =
        clips.video(Motion.GROW, 10, 32, spec.seed() * 1_000_003L + 6 * 10_007L);
    for (int f = 0; f < 10; f++) {
      byte[] red = java.util.Arrays.copyOf(decoded.frames().get(f), 32 * 32);
      double error = meanAbs(red, original.get(f));
      assertTrue(error < 12, "frame " + f + " decodes close to what was drawn: " + error);
    }
    assertFalse(meanAbs(decoded.frames().get(0), decoded.frames().get(9)) < 1, "the frames differ");
  }

  private static double meanAbs(byte[] a, byte[] b) {
    double sum = 0;
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return sum / n;
  }

  /** The brightness-weighted mean column of a 32x32 frame. */
  private static double centreX(byte[] frame) {
    double sum = 0;
    double weight = 0;
    for (int i = 0; i < frame.length; i++) {
      double v = Math.max(0, (frame[i] & 0xff) - 60);
      sum += v * (i % 32);
      weight += v;
    }
    return sum / weight;
  }
}
