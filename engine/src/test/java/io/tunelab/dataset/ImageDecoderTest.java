package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
  @TempDir Path dir;

  private static SourceFile file(Path path) {
    return new SourceFile(path.getFileName().toString(), -1, () -> Files.newInputStream(path));
  }

  private static int at(byte[] pixels, int channel, int height, int width, int y, int x) {
    return pixels[channel * height * width + y * width + x] & 0xff;
  }

  @Test
  void colourJpegIsResizedAndKeptInColour() throws Exception {
    Path jpeg = dir.resolve("card.jpg");
    TestImages.write(TestImages.redBlueCard(48, 64), SampleShape.image(3, 48, 64), "jpg", jpeg);
    DecodedImage image = new ImageDecoder(24, 32).decode(file(jpeg));
    assertFalse(image.grey());
    assertEquals(64, image.width());
    assertEquals(48, image.height());
    byte[] rgb = image.pixels(3);
    assertEquals(3 * 24 * 32, rgb.length);
    // Away from the red/blue edge, colours survive JPEG and area-averaging within a tolerance.
    for (int y = 0; y < 24; y++) {
      assertTrue(at(rgb, 0, 24, 32, y, 4) > 220, "red on the left");
      assertTrue(at(rgb, 2, 24, 32, y, 4) < 40, "no blue on the left");
      assertTrue(at(rgb, 2, 24, 32, y, 28) > 220, "blue on the right");
      assertTrue(at(rgb, 0, 24, 32, y, 28) < 40, "no red on the right");
    }
  }

  @Test
  void truncatedJpegIsRejectedThoughTheDecoderOnlyWarns() throws Exception {
    Path jpeg = dir.resolve("whole.jpg");
    LabeledImages mnist = TestImages.fashionMnist();
    FashionMnistFolders.writePng(mnist.image(9), mnist.shape(), dir.resolve("tmp.png"));
    ImageIO.write(ImageIO.read(dir.resolve("tmp.png").toFile()), "jpg", jpeg.toFile());
    assertTrue(new ImageDecoder(28, 28).decode(file(jpeg)).grey());
    byte[] bytes = Files.readAllBytes(jpeg);
    Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(bytes, bytes.length * 6 / 10));
    ImageDecoder.Rejection r =
        assertThrows(
            ImageDecoder.Rejection.class, () -> new ImageDecoder(28, 28).decode(file(cut)));
    assertTrue(r.getMessage().startsWith("corrupt or truncated JPEG image"), r.getMessage());
  }

  @Test
  void colourToGreyUsesLuminance() throws Exception {
    Path png = dir.resolve("card.png");
    TestImages.write(TestImages.redBlueCard(20, 20), SampleShape.image(3, 20, 20), "png", png);
    DecodedImage image = new ImageDecoder(20, 20).decode(file(png));
    byte[] grey = image.pixels(1);
    assertEquals(400, grey.length);
    assertEquals(76, at(grey, 0, 20, 20, 5, 2), "0.299 * 255 for red");
    assertEquals(29, at(grey, 0, 20, 20, 5, 17), "0.114 * 255 for blue");
  }

  @Test
  void greyImageIsReplicatedToColourAndResized() throws Exception {
    LabeledImages mnist = TestImages.fashionMnist();
    Path png = dir.resolve("shoe.png");
    FashionMnistFolders.writePng(mnist.image(0), mnist.shape(), png);
    DecodedImage same = new ImageDecoder(28, 28).decode(file(png));
    assertTrue(same.grey());
    assertArrayEquals(mnist.image(0), same.pixels(1), "grey samples are read without gamma");
    byte[] rgb = same.pixels(3);
    for (int c = 0; c < 3; c++) {
      assertArrayEquals(mnist.image(0), Arrays.copyOfRange(rgb, c * 784, (c + 1) * 784));
    }
    DecodedImage small = new ImageDecoder(14, 14).decode(file(png));
    byte[] shrunk = small.pixels(1);
    byte[] original = mnist.image(0);
    for (int y = 0; y < 14; y++) {
      for (int x = 0; x < 14; x++) {
        int sum =
            (original[2 * y * 28 + 2 * x] & 0xff)
                + (original[2 * y * 28 + 2 * x + 1] & 0xff)
                + (original[(2 * y + 1) * 28 + 2 * x] & 0xff)
                + (original[(2 * y + 1) * 28 + 2 * x + 1] & 0xff);
        assertEquals(sum / 4.0, shrunk[y * 14 + x] & 0xff, 0.51, "area average at " + y + "," + x);
      }
    }
  }

  @Test
  void bmpAndGifAreDecoded() throws Exception {
    LabeledImages mnist = TestImages.fashionMnist();
    for (String format : new String[] {"bmp", "gif"}) {
      Path file = dir.resolve("image." + format);
      FashionMnistFolders.writePng(mnist.image(1), mnist.shape(), dir.resolve("tmp.png"));
      ImageIO.write(ImageIO.read(dir.resolve("tmp.png").toFile()), format, file.toFile());
      DecodedImage image = new ImageDecoder(28, 28).decode(file(file));
      assertTrue(image.grey(), format);
      assertArrayEquals(mnist.image(1), image.pixels(1), format);
    }
  }

  @Test
  void upscalingIsBilinearAndKeepsConstantAreas() {
    byte[] src = {0, (byte) 200};
    byte[] up = Resampler.resize(src, 1, 1, 2, 1, 4);
    assertArrayEquals(new byte[] {0, 50, (byte) 150, (byte) 200}, up);
    byte[] flat = new byte[9];
    Arrays.fill(flat, (byte) 77);
    byte[] big = Resampler.resize(flat, 1, 3, 3, 7, 5);
    for (byte b : big) {
      assertEquals(77, b & 0xff);
    }
  }

  @Test
  void perceptualHashIgnoresSizeAndSmallEdits() throws Exception {
    LabeledImages mnist = TestImages.fashionMnist();
    byte[] a = mnist.image(3);
    long hash = PerceptualHash.dHash(a, 28, 28);
    byte[] bigger = Resampler.resize(a, 1, 28, 28, 56, 56);
    assertTrue(PerceptualHash.distance(hash, PerceptualHash.dHash(bigger, 56, 56)) <= 4);
    byte[] other = mnist.image(4);
    assertTrue(
        PerceptualHash.distance(hash, PerceptualHash.dHash(other, 28, 28)) > 4,
        "a different garment is far away");
  }

  @Test
  void extensionsAreCheckedCaseInsensitively() {
    assertNull(ImageDecoder.extensionProblem("A.PNG"));
    assertNull(ImageDecoder.extensionProblem("b.jpeg"));
    assertTrue(ImageDecoder.extensionProblem("c.tiff").contains("unsupported file type '.tiff'"));
    assertTrue(ImageDecoder.extensionProblem("README").contains("no file extension"));
  }

  @Test
  void pngNamedJpgIsAcceptedAndTiffIsNot() throws Exception {
    LabeledImages mnist = TestImages.fashionMnist();
    Path misnamed = dir.resolve("really-a-png.jpg");
    FashionMnistFolders.writePng(mnist.image(2), mnist.shape(), misnamed);
    assertArrayEquals(mnist.image(2), new ImageDecoder(28, 28).decode(file(misnamed)).pixels(1));
    Path tiff = dir.resolve("really-a-tiff.png");
    ImageIO.write(
        FashionMnistFolders.toImage(mnist.image(2), mnist.shape()), "tiff", tiff.toFile());
    ImageDecoder.Rejection r =
        assertThrows(
            ImageDecoder.Rejection.class, () -> new ImageDecoder(28, 28).decode(file(tiff)));
    assertEquals("content is TIFF, not PNG, JPEG, BMP or GIF", r.getMessage());
  }

  @Test
  void hashIsSha256OfTheFileBytes() throws IOException, ImageDecoder.Rejection {
    LabeledImages mnist = TestImages.fashionMnist();
    Path png = dir.resolve("x.png");
    FashionMnistFolders.writePng(mnist.image(5), mnist.shape(), png);
    assertEquals(
        ImageDecoder.sha256(Files.readAllBytes(png)),
        new ImageDecoder(28, 28).decode(file(png)).sha256());
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ImageDecoder.sha256(new byte[0]));
  }

  @Test
  void pngAndJpegAreRecognisedByTheirSignatureAndOthersByTheirReaders() throws Exception {
    LabeledImages mnist = TestImages.fashionMnist();
    Path png = dir.resolve("a.png");
    FashionMnistFolders.writePng(mnist.image(3), mnist.shape(), png);
    byte[] bytes = Files.readAllBytes(png);
    assertEquals("png", ImageDecoder.signatureFormat(bytes));
    assertEquals(
        "jpeg",
        ImageDecoder.signatureFormat(
            new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0}));
    assertNull(ImageDecoder.signatureFormat(Arrays.copyOf(bytes, 7)));
    assertNull(
        ImageDecoder.signatureFormat(
            "GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

    // The signature, then garbage: left to the PNG reader, whose verdict is the rejection.
    Path broken = dir.resolve("broken.png");
    byte[] garbage = Arrays.copyOf(bytes, 40);
    Arrays.fill(garbage, 8, 40, (byte) 7);
    Files.write(broken, garbage);
    ImageDecoder.Rejection r =
        assertThrows(
            ImageDecoder.Rejection.class, () -> new ImageDecoder(28, 28).decode(file(broken)));
    assertTrue(r.getMessage().startsWith("corrupt or truncated PNG image"), r.getMessage());
    // Half a signature is no PNG at all.
    Path half = dir.resolve("half.png");
    Files.write(half, Arrays.copyOf(bytes, 5));
    r =
        assertThrows(
            ImageDecoder.Rejection.class, () -> new ImageDecoder(28, 28).decode(file(half)));
    assertTrue(r.getMessage().startsWith("not a PNG image"), r.getMessage());
  }

  @Test
  void sixteenBitAndTransparentGreyPngsAreScaledToBytes() throws Exception {
    // 16-bit grey: 0, 257 * 100, 65535 are 0, 100, 255.
    java.awt.image.BufferedImage wide =
        new java.awt.image.BufferedImage(3, 1, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
    wide.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 257 * 100, 65535});
    Path deep = dir.resolve("deep.png");
    assertTrue(ImageIO.write(wide, "png", deep.toFile()));
    DecodedImage decoded = new ImageDecoder(1, 3).decode(file(deep));
    assertTrue(decoded.grey());
    assertArrayEquals(new byte[] {0, 100, (byte) 255}, decoded.pixels(1));
  }
}
