package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tunelab.workflows.model.SampleShape;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link PngDecoder} gives exactly the values {@code ImageIO} gives for every plain PNG, and leaves
 * every other PNG, and every damaged one, to {@code ImageIO}.
 */
class PngDecoderTest {
  private static final int[][] SIZES = {{1, 1}, {28, 28}, {23, 37}, {48, 64}, {3, 200}};

  /** Random pixels with smooth stretches, so that the writer's adaptive filters pick all five. */
  private static void fill(WritableRaster raster, Random random) {
    int bands = raster.getNumBands();
    for (int y = 0; y < raster.getHeight(); y++) {
      for (int x = 0; x < raster.getWidth(); x++) {
        for (int b = 0; b < bands; b++) {
          int smooth = (x * 7 + y * 3 + b * 50) & 0xff;
          raster.setSample(x, y, b, random.nextInt(4) == 0 ? random.nextInt(256) : smooth);
        }
      }
    }
  }

  private static BufferedImage greyAlpha(int w, int h) {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    return new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
  }

  private static byte[] png(BufferedImage image, boolean interlaced) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(
          interlaced ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static void assertSameAsImageIo(byte[] png, String what) throws Exception {
    Pixels fast = PngDecoder.decode(png, ImageDecoder.MAX_PIXELS);
    assertNotNull(fast, what + ": a plain PNG is decoded here");
    Pixels reference = ImageDecoder.imageIo(png, "PNG");
    assertEquals(reference.width(), fast.width(), what);
    assertEquals(reference.height(), fast.height(), what);
    assertEquals(reference.grey(), fast.grey(), what);
    assertArrayEquals(reference.values(), fast.values(), what);
  }

  @Test
  void everyPlainKindDecodesToImageIosValues() throws Exception {
    Random random = new Random(5);
    int[] types = {
      BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, -1
    };
    for (int[] size : SIZES) {
      for (int type : types) {
        BufferedImage image =
            type < 0 ? greyAlpha(size[1], size[0]) : new BufferedImage(size[1], size[0], type);
        fill(image.getRaster(), random);
        assertSameAsImageIo(png(image, false), "type " + type + " " + Arrays.toString(size));
      }
    }
  }

  @Test
  void colourWithThreeEqualValuesBecomesOneGreyPlaneAsBefore() throws Exception {
    BufferedImage image = new BufferedImage(30, 20, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 30; x++) {
        int v = (x * 9 + y) & 0xff;
        image.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    byte[] png = png(image, false);
    assertSameAsImageIo(png, "grey stored as RGB");
    assertEquals(true, PngDecoder.decode(png, ImageDecoder.MAX_PIXELS).grey());
  }

  @Test
  void theDatasetsOwnPngsDecodeHere() throws Exception {
    LabeledImages mnist = TestImages.fashionMnist();
    for (int i = 0; i < 20; i++) {
      assertSameAsImageIo(PngEncoder.encode(mnist.image(i), mnist.shape()), "fashion " + i);
    }
    byte[] colour = new byte[3 * 16 * 12];
    new Random(1).nextBytes(colour);
    assertSameAsImageIo(PngEncoder.encode(colour, SampleShape.image(3, 16, 12)), "encoder colour");
  }

  @Test
  void otherPngsAreLeftToImageIo() throws Exception {
    Random random = new Random(9);
    BufferedImage grey = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_GRAY);
    fill(grey.getRaster(), random);
    assertNull(PngDecoder.decode(png(grey, true), ImageDecoder.MAX_PIXELS), "interlaced");
    BufferedImage deep = new BufferedImage(20, 10, BufferedImage.TYPE_USHORT_GRAY);
    fill(deep.getRaster(), random);
    assertNull(PngDecoder.decode(png(deep, false), ImageDecoder.MAX_PIXELS), "16-bit grey");
    BufferedImage indexed = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_INDEXED);
    fill(indexed.getRaster(), random);
    assertNull(PngDecoder.decode(png(indexed, false), ImageDecoder.MAX_PIXELS), "palette");
    BufferedImage binary = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_BINARY);
    assertNull(PngDecoder.decode(png(binary, false), ImageDecoder.MAX_PIXELS), "1-bit");
    byte[] plain = png(grey, false);
    assertNull(PngDecoder.decode(plain, 199), "over the pixel limit");
    assertNull(
        PngDecoder.decode(
            withChunk(plain, "gAMA", new byte[] {0, 0, (byte) 0xb1, (byte) 0x8f}),
            ImageDecoder.MAX_PIXELS),
        "gamma");
    assertNull(
        PngDecoder.decode(withChunk(plain, "tRNS", new byte[] {0, 0}), ImageDecoder.MAX_PIXELS),
        "transparency key");
    assertNotNull(
        PngDecoder.decode(
            withChunk(plain, "tEXt", "Comment\0hi".getBytes()), ImageDecoder.MAX_PIXELS),
        "text changes no pixel");
  }

  @Test
  void damagedPngsAreLeftToImageIo() throws Exception {
    BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    fill(grey.getRaster(), new Random(3));
    byte[] plain = png(grey, false);
    for (int cut : new int[] {8, 20, 33, 40, plain.length / 2, plain.length - 13}) {
      assertNull(
          PngDecoder.decode(Arrays.copyOf(plain, cut), ImageDecoder.MAX_PIXELS), "cut at " + cut);
    }
    byte[] scrambled = plain.clone();
    for (int i = 45; i < scrambled.length - 20; i += 3) {
      scrambled[i] ^= 0x5a;
    }
    assertNull(PngDecoder.decode(scrambled, ImageDecoder.MAX_PIXELS), "scrambled data");
    assertNull(PngDecoder.decode(new byte[0], ImageDecoder.MAX_PIXELS), "empty");
  }

  @Test
  void everyRowFilterDecodesToImageIosValues() throws Exception {
    // ImageIO's writer stores every row unfiltered, so these rows are filtered here: each of the
    // five filters on the first row (no row above) and on later ones, for 1 to 4 channels.
    Random random = new Random(11);
    int[] colourTypes = {0, 4, 2, 6};
    int[] channelsOf = {1, 2, 3, 4};
    for (int k = 0; k < colourTypes.length; k++) {
      int c = channelsOf[k];
      for (int first = 0; first < 5; first++) {
        int w = 13;
        int h = 11;
        byte[] samples = new byte[w * h * c];
        for (int i = 0; i < samples.length; i++) {
          samples[i] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : (i * 5) & 0xff);
        }
        int[] filters = new int[h];
        filters[0] = first;
        for (int y = 1; y < h; y++) {
          filters[y] = (first + y) % 5;
        }
        assertSameAsImageIo(
            filtered(samples, w, h, colourTypes[k], c, filters),
            "colour type " + colourTypes[k] + ", first row filter " + first);
      }
    }
  }

  @Test
  void paethTiesArePredictedAsTheSpecificationSays() throws Exception {
    // left 110, up 80, up-left 100: |p - up| = |p - upLeft| = 10 < |p - left| = 20, where the
    // specification picks up, not up-left
    int w = 16;
    int h = 6;
    byte[] samples = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        samples[y * w + x] =
            (byte) (y % 2 == 0 ? (x % 2 == 0 ? 100 : 80) : (x % 2 == 0 ? 110 : 37));
      }
    }
    int[] paeth = new int[h];
    Arrays.fill(paeth, 4);
    assertSameAsImageIo(filtered(samples, w, h, 0, 1, paeth), "Paeth ties");
  }

  /** A PNG of 8-bit samples whose rows are stored with the given filters (specification §9). */
  private static byte[] filtered(byte[] samples, int w, int h, int colourType, int c, int[] filters)
      throws IOException {
    int stride = w * c;
    byte[] raw = new byte[h * (stride + 1)];
    for (int y = 0; y < h; y++) {
      raw[y * (stride + 1)] = (byte) filters[y];
      for (int i = 0; i < stride; i++) {
        int x = samples[y * stride + i] & 0xff;
        int a = i >= c ? samples[y * stride + i - c] & 0xff : 0;
        int b = y > 0 ? samples[(y - 1) * stride + i] & 0xff : 0;
        int d = i >= c && y > 0 ? samples[(y - 1) * stride + i - c] & 0xff : 0;
        int predicted =
            switch (filters[y]) {
              case 0 -> 0;
              case 1 -> a;
              case 2 -> b;
              case 3 -> (a + b) / 2;
              default -> {
                int p = a + b - d;
                int pa = Math.abs(p - a);
                int pb = Math.abs(p - b);
                int pc = Math.abs(p - d);
                yield pa <= pb && pa <= pc ? a : pb <= pc ? b : d;
              }
            };
        raw[y * (stride + 1) + 1 + i] = (byte) (x - predicted);
      }
    }
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(idat)) {
      z.write(raw);
    }
    byte[] ihdr = {0, 0, 0, (byte) w, 0, 0, 0, (byte) h, 8, (byte) colourType, 0, 0, 0};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] header = {
      (byte) (data.length >>> 24),
      (byte) (data.length >>> 16),
      (byte) (data.length >>> 8),
      (byte) data.length,
      (byte) type.charAt(0),
      (byte) type.charAt(1),
      (byte) type.charAt(2),
      (byte) type.charAt(3)
    };
    out.write(header, 0, 8);
    out.write(data, 0, data.length);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(header, 4, 4);
    crc.update(data);
    long v = crc.getValue();
    out.write(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}, 0, 4);
  }

  /** The PNG with one more chunk right after IHDR (the CRC is not checked by either reader). */
  private static byte[] withChunk(byte[] png, String type, byte[] data) {
    int at = 33;
    byte[] out = new byte[png.length + 12 + data.length];
    System.arraycopy(png, 0, out, 0, at);
    out[at] = (byte) (data.length >>> 24);
    out[at + 1] = (byte) (data.length >>> 16);
    out[at + 2] = (byte) (data.length >>> 8);
    out[at + 3] = (byte) data.length;
    for (int i = 0; i < 4; i++) {
      out[at + 4 + i] = (byte) type.charAt(i);
    }
    System.arraycopy(data, 0, out, at + 8, data.length);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(out, at + 4, 4 + data.length);
    long c = crc.getValue();
    int end = at + 8 + data.length;
    out[end] = (byte) (c >>> 24);
    out[end + 1] = (byte) (c >>> 16);
    out[end + 2] = (byte) (c >>> 8);
    out[end + 3] = (byte) c;
    System.arraycopy(png, at, out, end + 4, png.length - at);
    return out;
  }
}
