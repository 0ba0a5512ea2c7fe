package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same frames make the same MP4 bytes, and the file still decodes to its frames. */
class Mp4WriterTest {
  @TempDir Path dir;

  private static List<byte[]> frames() {
    List<byte[]> frames = new ArrayList<>();
    for (int f = 0; f < 6; f++) {
      byte[] frame = new byte[32 * 32];
      for (int i = 0; i < frame.length; i++) {
        frame[i] = (byte) ((i % 32) * 4 + f * 20);
      }
      frames.add(frame);
    }
    return frames;
  }

  @Test
  void theSameFramesMakeTheSameBytesWithoutTimes() throws Exception {
    Path a = dir.resolve("a.mp4");
    Path b = dir.resolve("b.mp4");
    Mp4Writer.write(frames(), 1, 32, 32, 25, a);
    Mp4Writer.write(frames(), 1, 32, 32, 25, b);
    byte[] bytes = Files.readAllBytes(a);
    assertArrayEquals(bytes, Files.readAllBytes(b));

    // The movie header's creation and modification times (after its version and flags) are 0.
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    int mvhd = text.indexOf("mvhd");
    assertTrue(mvhd > 0, "a movie header");
    ByteBuffer header = ByteBuffer.wrap(bytes, mvhd + 4, 12);
    assertEquals(0, header.get(), "version 0");
    header.position(mvhd + 8);
    assertEquals(0, header.getInt(), "creation time");
    assertEquals(0, header.getInt(), "modification time");

    VideoDecoder.Frames decoded = VideoDecoder.decode(bytes, 32);
    assertEquals(6, decoded.frames().size());
    assertTrue(decoded.grey());
  }
}
