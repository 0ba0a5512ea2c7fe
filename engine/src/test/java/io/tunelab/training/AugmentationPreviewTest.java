package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tunelab.dataset.AugmentationPolicy;
import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The preview grid shows stored images and exactly the variants the trainer would train on. */
class AugmentationPreviewTest {
  /** 28x28 cells enlarged three times (96 / 28), with a 2-pixel gap. */
  private static final int CELL = 84;

  private static final int GAP = 2;

  private static final LabeledImages TRAIN =
      FashionMnist.subset(FashionMnist.train(), 0, 200, 5, 9);

  private static BufferedImage decode(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  /** The grey values of one cell, taking one pixel per enlarged source pixel. */
  private static byte[] cell(BufferedImage grid, int row, int column) {
    byte[] pixels = new byte[28 * 28];
    int x0 = GAP + column * (CELL + GAP);
    int y0 = GAP + row * (CELL + GAP);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        pixels[y * 28 + x] = (byte) (grid.getRGB(x0 + x * 3 + 1, y0 + y * 3 + 1) & 0xff);
      }
    }
    return pixels;
  }

  @Test
  void eightRowsOfAStoredImageAndFourEpochsOfVariants() throws IOException {
    Augmenter strong = AugmentationPolicy.forName("strong");
    byte[] png = AugmentationPreview.png(TRAIN, strong, 17);
    Path out = Path.of("target", "augmentation-preview-strong.png");
    Files.createDirectories(out.getParent());
    Files.write(out, png);
    BufferedImage grid = decode(png);
    assertEquals(GAP + 5 * (CELL + GAP), grid.getWidth());
    assertEquals(GAP + 8 * (CELL + GAP), grid.getHeight());

    List<Integer> rows = AugmentationPreview.rowsOf(TRAIN, 8);
    List<Integer> labels = new ArrayList<>();
    for (int r = 0; r < 8; r++) {
      int index = rows.get(r);
      labels.add(TRAIN.label(index));
      assertArrayEquals(TRAIN.image(index), cell(grid, r, 0), "stored image in row " + r);
      for (int epoch = 1; epoch <= 4; epoch++) {
        byte[] variant = AugmentationPreview.variant(TRAIN, index, strong, 17, epoch);
        assertArrayEquals(variant, cell(grid, r, epoch), "row " + r + " epoch " + epoch);
        assertFalse(
            java.util.Arrays.equals(TRAIN.image(index), variant),
            "strong augmentation changes row " + r + " epoch " + epoch);
      }
    }
    assertEquals(List.of(0, 1, 2, 3, 4, 0, 1, 2), labels, "rows take the classes in turn");
  }

  @Test
  void withoutAugmentationEveryVariantIsTheStoredImage() throws IOException {
    BufferedImage grid = decode(AugmentationPreview.png(TRAIN, Augmenter.NONE, 17));
    for (int r = 0; r < 8; r++) {
      for (int c = 1; c <= 4; c++) {
        assertArrayEquals(cell(grid, r, 0), cell(grid, r, c), "row " + r + " column " + c);
      }
    }
  }

  @Test
  void largeColourImagesAreReducedToFitACell() throws IOException {
    SampleShape shape = SampleShape.image(3, 200, 150);
    LabeledImages big = new LabeledImages(shape, new byte[2 * shape.size()], new int[] {0, 1});
    BufferedImage grid =
        decode(AugmentationPreview.png(big, AugmentationPolicy.forName("light"), 1));
    assertEquals(GAP + 2 * (96 + GAP), grid.getHeight(), "two rows of 96-pixel cells");
    assertEquals(GAP + 5 * (72 + GAP), grid.getWidth());
  }

  @Test
  void aClipsCellsAreStripsOfItsFrames() throws IOException {
    SampleShape shape = SampleShape.clip(1, 8, 24, 24);
    byte[] pixels = new byte[10 * shape.size()];
    new java.util.Random(3).nextBytes(pixels);
    int[] labels = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
    LabeledImages clips = new LabeledImages(shape, pixels, labels);
    BufferedImage grid =
        decode(
            AugmentationPreview.png(
                clips,
                io.tunelab.dataset.ClipAugmenter.of(io.tunelab.workflows.model.Augment.STANDARD),
                5));
    // A strip of 4 frames is 4 * 24 + 3 = 99 wide: scaled to the 96-pixel cell, 24 * 96 / 99 high.
    int cellH = (int) Math.round(24 * 96.0 / 99);
    assertEquals(GAP + 5 * (96 + GAP), grid.getWidth());
    assertEquals(GAP + 8 * (cellH + GAP), grid.getHeight());
  }
}
