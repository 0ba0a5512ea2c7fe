package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tunelab.workflows.model.SampleShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The minimal PNGs read back, pixel for pixel, with the JDK's own decoder. */
class PngEncoderTest {
  @Test
  void greyAndColourImagesReadBackExactly() throws Exception {
    Random random = new Random(3);
    for (SampleShape shape :
        new SampleShape[] {SampleShape.image(1, 28, 28), SampleShape.image(3, 9, 13)}) {
      byte[] pixels = new byte[shape.size()];
      random.nextBytes(pixels);
      BufferedImage read = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(pixels, shape)));
      assertEquals(shape.width(), read.getWidth());
      assertEquals(shape.height(), read.getHeight());
      byte[] back = new byte[shape.size()];
      int plane = shape.width() * shape.height();
      for (int y = 0; y < shape.height(); y++) {
        for (int x = 0; x < shape.width(); x++) {
          int i = y * shape.width() + x;
          if (shape.channels() == 1) {
            back[i] = (byte) read.getRaster().getSample(x, y, 0);
          } else {
            int rgb = read.getRGB(x, y);
            back[i] = (byte) (rgb >> 16);
            back[plane + i] = (byte) (rgb >> 8);
            back[2 * plane + i] = (byte) rgb;
          }
        }
      }
      assertArrayEquals(pixels, back, shape.toString());
    }
  }

  @Test
  void pixelsThatDoNotFitTheShapeAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PngEncoder.encode(new byte[10], SampleShape.image(1, 28, 28)));
    assertThrows(
        IllegalArgumentException.class,
        () -> PngEncoder.encode(new byte[8], SampleShape.image(2, 2, 2)));
  }
}
