package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.SampleShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FilmstripTest {
  private static final int H = 8;
  private static final int W = 9;

  /** A clip of {@code frames} frames of H × W pixels whose frame f of channel ch is 10f + 60ch. */
  private static byte[] clip(int channels, int frames) {
    byte[] pixels = new byte[channels * frames * H * W];
    for (int ch = 0; ch < channels; ch++) {
      for (int f = 0; f < frames; f++) {
        for (int i = 0; i < H * W; i++) {
          pixels[(ch * frames + f) * H * W + i] = (byte) (10 * f + 60 * ch);
        }
      }
    }
    return pixels;
  }

  @Test
  void aClipShowsFourEvenlySpacedFramesSideBySideOnePixelApart() throws Exception {
    SampleShape shape = SampleShape.clip(3, 8, H, W);
    Filmstrip strip = Filmstrip.of(clip(3, 8), shape);
    assertEquals(SampleShape.image(3, H, 4 * W + 3), strip.shape());
    int w = strip.shape().width();
    int[] frames = {0, 2, 5, 7};
    for (int ch = 0; ch < 3; ch++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < w; x++) {
          int value = strip.pixels()[ch * H * w + y * w + x] & 0xff;
          int expected = x % (W + 1) == W ? 0 : 10 * frames[x / (W + 1)] + 60 * ch;
          assertEquals(expected, value, "channel " + ch + " at (" + x + ", " + y + ")");
        }
      }
    }
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(strip.png()));
    assertEquals(4 * W + 3, png.getWidth());
    assertEquals(H, png.getHeight());
  }

  @Test
  void aShortStackShowsEveryFrameAndAnImageItself() {
    Filmstrip two = Filmstrip.of(clip(1, 2), SampleShape.clip(1, 2, H, W));
    assertEquals(SampleShape.image(1, H, 2 * W + 1), two.shape());
    assertEquals(10, two.pixels()[W + 1] & 0xff, "second frame after the gap");

    byte[] image = clip(1, 1);
    Filmstrip same = Filmstrip.of(image, SampleShape.image(1, H, W));
    assertSame(image, same.pixels());
    assertArrayEquals(image, same.pixels());
  }

  @Test
  void aRowHasNoPictureAndPixelsMustFitTheShape() {
    IllegalArgumentException row =
        assertThrows(
            IllegalArgumentException.class, () -> Filmstrip.of(new byte[4], SampleShape.table(4)));
    assertTrue(row.getMessage().contains("no picture"), row.getMessage());
    IllegalArgumentException size =
        assertThrows(
            IllegalArgumentException.class,
            () -> Filmstrip.of(new byte[5], SampleShape.clip(1, 2, H, W)));
    assertTrue(size.getMessage().contains("not 5"), size.getMessage());
  }
}
