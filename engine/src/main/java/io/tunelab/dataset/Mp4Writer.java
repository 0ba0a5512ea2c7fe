package io.tunelab.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jcodec.api.SequenceEncoder;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rational;

/**
 * Writes frames as an MP4 file of H.264 video (JCodec's encoder, pure Java): what the synthetic
 * clips and the tests give the clip ingest to decode.
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
  }
}
