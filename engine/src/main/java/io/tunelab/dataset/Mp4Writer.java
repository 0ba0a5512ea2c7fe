package io.tunelab.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jcodec.api.SequenceEncoder;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rational;

/**
 * Writes frames as an MP4 file of H.264 video (JCodec's encoder, pure Java): what the synthetic
 * clips and the tests give the clip ingest to decode. The same frames give the same bytes: the
 * creation and modification times the muxer stamps are set to zero (1904-01-01).
 */
public final class Mp4Writer {
  private Mp4Writer() {}

  /**
   * Writes packed CHW frames (1 channel: grey; 3: red, green, blue planes) of {@code height} ×
   * {@code width} pixels at {@code fps} frames per second.
   *
   * @throws IOException when the file cannot be written
   */
  public static void write(
      List<byte[]> frames, int channels, int height, int width, int fps, Path file)
      throws IOException {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3: " + channels);
    }
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a video needs at least one frame");
    }
    int plane = height * width;
    try (SeekableByteChannel out = NIOUtils.writableChannel(file.toFile())) {
      SequenceEncoder encoder = SequenceEncoder.createWithFps(out, Rational.R(fps, 1));
      Picture picture = Picture.create(width, height, ColorSpace.RGB);
      byte[] rgb = picture.getPlaneData(0);
      for (byte[] frame : frames) {
        if (frame.length != channels * plane) {
          throw new IllegalArgumentException(
              "a frame holds " + frame.length + " bytes, not " + channels * plane);
        }
        for (int i = 0; i < plane; i++) {
          for (int c = 0; c < 3; c++) {
            int v = frame[(channels == 1 ? 0 : c) * plane + i] & 0xff;
            rgb[3 * i + c] = (byte) (v - 128); // JCodec's samples are signed
          }
        }
        encoder.encodeNativeFrame(picture);
      }
      encoder.finish();
    }
    byte[] bytes = Files.readAllBytes(file);
    clearTimes(ByteBuffer.wrap(bytes), 0, bytes.length);
    Files.write(file, bytes);
  }

  /** Boxes that hold other boxes, down to the headers that carry times. */
  private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia");

  /** Headers whose version-0 layout has the creation and modification times after the flags. */
  private static final Set<String> TIMED = Set.of("mvhd", "tkhd", "mdhd");

  /** Zeroes the times of the timed headers among the boxes in {@code [from, to)}. */
  private static void clearTimes(ByteBuffer mp4, int from, int to) {
    int at = from;
    while (at + 8 <= to) {
      long size = Integer.toUnsignedLong(mp4.getInt(at));
      String type =
          new String(
              new byte[] {mp4.get(at + 4), mp4.get(at + 5), mp4.get(at + 6), mp4.get(at + 7)},
              StandardCharsets.ISO_8859_1);
      if (size == 1 && at + 16 <= to) {
        size = mp4.getLong(at + 8); // a 64-bit size (the muxer writes mdat so)
      }
      if (size < 8 || at + size > to) {
        return; // an open-ended or damaged box: nothing more to walk
      }
      int end = (int) (at + size);
      if (CONTAINERS.contains(type)) {
        clearTimes(mp4, at + 8, end);
      } else if (TIMED.contains(type) && mp4.get(at + 8) == 0 && at + 20 <= end) {
        mp4.putInt(at + 12, 0);
        mp4.putInt(at + 16, 0);
      }
      at = end;
    }
  }
}
