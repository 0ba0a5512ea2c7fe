package io.tunelab.training;

import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.Filmstrip;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleShape;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A grid of training images as the trainer sees them: one row per image, its stored pixels in the
 * first column, then the augmented variant of epoch 1, 2, 3, … in the next columns, drawn with
 * exactly the random source {@link EpochTrainer} uses for that image in that epoch. Rows take the
 * classes in turn (the first image of each class, then the second, …), so a few rows show several
 * classes. Small images are enlarged by a whole factor with no smoothing, large ones reduced to fit
 * a cell; cells are separated by a grey line.
 */
public final class AugmentationPreview {
  /** Images shown, one per row. */
  public static final int ROWS = 8;

  /** Augmented variants per image, one per epoch. */
  public static final int VARIANTS = 4;

  private static final int CELL = 96;
  private static final int GAP = 2;

  private AugmentationPreview() {}

  /**
   * The training images the grid shows, as indices into the split: the classes in turn, each
   * class's images in split order, at most {@code rows}.
   */
  static List<Integer> rowsOf(LabeledImages train, int rows) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      int label = train.label(i);
      while (byClass.size() <= label) {
        byClass.add(new ArrayList<>());
      }
      byClass.get(label).add(i);
    }
    List<Integer> chosen = new ArrayList<>();
    for (int k = 0; chosen.size() < rows; k++) {
      boolean any = false;
      for (List<Integer> images : byClass) {
        if (k < images.size() && chosen.size() < rows) {
          chosen.add(images.get(k));
          any = true;
        }
      }
      if (!any) {
        break;
      }
    }
    return chosen;
  }

  /**
   * The variant of one training image that epoch {@code epoch} trains on.
   *
   * @param index the image's index in the training split
   */
  static byte[] variant(LabeledImages train, int index, Augmenter augmenter, long seed, int epoch) {
    return augmenter.apply(
        train.image(index), train.shape(), new Random(Seeds.augmentSeed(seed, epoch, index)));
  }

  /**
   * Draws the grid as a PNG.
   *
   * @param train the training split
   * @param augmenter the run's augmentation
   * @param seed the run's seed
   * @return the PNG bytes
   * @throws IllegalArgumentException when the split is empty
   */
  public static byte[] png(LabeledImages train, Augmenter augmenter, long seed) {
    if (train.size() == 0) {
      throw new IllegalArgumentException("no training images to preview");
    }
    // A clip's cell is the strip of its frames (Filmstrip): its variant moves every frame alike.
    SampleShape shape = Filmstrip.of(train.image(0), train.shape()).shape();
    List<Integer> rows = rowsOf(train, ROWS);
    int longest = Math.max(shape.width(), shape.height());
    double scale = longest <= CELL ? Math.max(1, CELL / longest) : (double) CELL / longest;
    int cellW = (int) Math.round(shape.width() * scale);
    int cellH = (int) Math.round(shape.height() * scale);
    int columns = 1 + VARIANTS;
    BufferedImage grid =
        new BufferedImage(
            GAP + columns * (cellW + GAP),
            GAP + rows.size() * (cellH + GAP),
            BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    try {
      g.setColor(new Color(0x80, 0x80, 0x80));
      g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION,
          scale >= 1
              ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
              : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      for (int r = 0; r < rows.size(); r++) {
        int index = rows.get(r);
        for (int c = 0; c < columns; c++) {
          byte[] sample = c == 0 ? train.image(index) : variant(train, index, augmenter, seed, c);
          g.drawImage(
              FashionMnistFolders.toImage(Filmstrip.of(sample, train.shape()).pixels(), shape),
              GAP + c * (cellW + GAP),
              GAP + r * (cellH + GAP),
              cellW,
              cellH,
              null);
        }
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(grid, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the preview PNG failed", e);
    }
    return out.toByteArray();
  }
}
