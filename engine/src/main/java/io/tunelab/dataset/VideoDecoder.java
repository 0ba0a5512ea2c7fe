package io.tunelab.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jcodec.api.FrameGrab;
import org.jcodec.api.JCodecException;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;
import org.jcodec.scale.ColorUtil;
import org.jcodec.scale.Transform;

/**
 * Decodes a video file's frames with JCodec (MP4 and QuickTime containers; H.264, MJPEG, ProRes),
 * one frame at a time, each resized at once to the target size, so a long video costs its small
 * frames, never its full-size ones.
 */
final class VideoDecoder {
  /** The video file extensions the clip ingest reads. */
  static final Set<String> EXTENSIONS = Set.of("mp4", "m4v", "mov");

  /** Samples apart (of 255) that a lossy codec leaves in a grey frame's colours. */
  private static final int GREY_TOLERANCE = 6;

  private VideoDecoder() {}

  /** Thrown for a video that cannot be decoded; the message is the reason shown to the user. */
  static final class Rejection extends Exception {
    Rejection(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Whether a file name is a video's. */
  static boolean isVideo(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /**
   * A video's frames at {@code size} × {@code size}.
   *
   * @param width the frames' original width
   * @param height the frames' original height
   * @param frames each frame's three colour planes (CHW) at the target size
   * @param grey whether every frame is grey (within a codec's rounding)
   */
  record Frames(int width, int height, List<byte[]> frames, boolean grey) {}

  /**
   * Decodes every frame of a video file's bytes.
   *
   * @throws Rejection when the bytes are not a video JCodec decodes, or hold no frame
   */
  static Frames decode(byte[] bytes, int size) throws Rejection {
    List<byte[]> frames = new ArrayList<>();
    boolean grey = true;
    int width = 0;
    int height = 0;
    try {
      FrameGrab grab =
          FrameGrab.createFrameGrab(
              ByteBufferSeekableByteChannel.readFromByteBuffer(ByteBuffer.wrap(bytes)));
      Picture rgb = null;
      Transform transform = null;
      for (Picture picture = grab.getNativeFrame();
          picture != null;
          picture = grab.getNativeFrame()) {
        if (rgb == null) {
          transform = ColorUtil.getTransform(picture.getColor(), ColorSpace.RGB);
          if (transform == null) {
            throw new Rejection("unsupported colour space " + picture.getColor());
          }
          rgb = Picture.create(picture.getWidth(), picture.getHeight(), ColorSpace.RGB);
          width = picture.getCroppedWidth();
          height = picture.getCroppedHeight();
        }
        transform.transform(picture, rgb);
        Rect crop = picture.getCrop();
        int x0 = crop == null ? 0 : crop.getX();
        int y0 = crop == null ? 0 : crop.getY();
        byte[] planes = new byte[3 * width * height];
        byte[] data = rgb.getPlaneData(0);
        int stride = rgb.getWidth();
        int n = width * height;
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            int s = 3 * ((y0 + y) * stride + x0 + x);
            int r = data[s] + 128;
            int g = data[s + 1] + 128;
            int b = data[s + 2] + 128;
            int i = y * width + x;
            planes[i] = (byte) r;
            planes[n + i] = (byte) g;
            planes[2 * n + i] = (byte) b;
            grey &= Math.abs(r - g) <= GREY_TOLERANCE && Math.abs(g - b) <= GREY_TOLERANCE;
          }
        }
        frames.add(Resampler.resize(planes, 3, height, width, size, size));
      }
    } catch (IOException | JCodecException | RuntimeException e) {
      throw new Rejection("not a video JCodec can decode: " + describe(e));
    }
    if (frames.isEmpty()) {
      throw new Rejection("the video holds no frame");
    }
    return new Frames(width, height, frames, grey);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
