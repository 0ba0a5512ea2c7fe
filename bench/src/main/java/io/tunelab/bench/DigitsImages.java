package io.tunelab.bench;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * scikit-learn's handwritten digits (UCI optdigits test set: 1,797 images, about 180 per digit) as
 * the second dataset of {@link DiagnosisHarness}: read from the {@code digits.csv.gz} that Debian's
 * {@code python3-sklearn} ships (one row per image: 64 values 0–16 of an 8x8 image, row by row,
 * then the digit), scaled to 0–255 and upscaled bilinearly to 1x28x28, Fashion-MNIST's shape, so
 * that the same {@code cnn} trains on both and a model pretrained on one can be fine-tuned on the
 * other.
 */
final class DigitsImages {
  /** Where Debian's {@code python3-sklearn} installs the file. */
  static final Path DEFAULT_FILE =
      Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");

  /** Class (folder) names in label order: the digits themselves. */
  static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  static final int SOURCE_SIDE = 8;
  static final int MAX_VALUE = 16;
  static final int SIDE = 28;

  private DigitsImages() {}

  /**
   * Reads every image of the file, upscaled to 1x{@value #SIDE}x{@value #SIDE}.
   *
   * @throws IOException when the file is missing or a row is not 64 values and a label
   */
  static LabeledImages read(Path file) throws IOException {
    List<byte[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (Reader in =
        new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII)) {
      for (CSVRecord row : CSVFormat.DEFAULT.parse(in)) {
        int n = SOURCE_SIDE * SOURCE_SIDE;
        if (row.size() != n + 1) {
          throw new IOException(
              file + " line " + row.getRecordNumber() + ": " + row.size() + " values, want 65");
        }
        double[] small = new double[n];
        for (int i = 0; i < n; i++) {
          small[i] = Double.parseDouble(row.get(i)) * 255.0 / MAX_VALUE;
        }
        images.add(upscale(small));
        labels.add((int) Double.parseDouble(row.get(n)));
      }
    }
    byte[] pixels = new byte[images.size() * SIDE * SIDE];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, pixels, i * SIDE * SIDE, SIDE * SIDE);
    }
    return new LabeledImages(
        SampleShape.image(1, SIDE, SIDE),
        pixels,
        labels.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Bilinear upscaling of an 8x8 image to {@value #SIDE}x{@value #SIDE}, pixel centres aligned. */
  static byte[] upscale(double[] small) {
    byte[] out = new byte[SIDE * SIDE];
    double scale = SOURCE_SIDE / (double) SIDE;
    for (int y = 0; y < SIDE; y++) {
      double sy = Math.min(Math.max((y + 0.5) * scale - 0.5, 0), SOURCE_SIDE - 1);
      int y0 = (int) Math.floor(sy);
      int y1 = Math.min(y0 + 1, SOURCE_SIDE - 1);
      double fy = sy - y0;
      for (int x = 0; x < SIDE; x++) {
        double sx = Math.min(Math.max((x + 0.5) * scale - 0.5, 0), SOURCE_SIDE - 1);
        int x0 = (int) Math.floor(sx);
        int x1 = Math.min(x0 + 1, SOURCE_SIDE - 1);
        double fx = sx - x0;
        double v =
            (1 - fy) * ((1 - fx) * small[y0 * 8 + x0] + fx * small[y0 * 8 + x1])
                + fy * ((1 - fx) * small[y1 * 8 + x0] + fx * small[y1 * 8 + x1]);
        out[y * SIDE + x] = (byte) Math.round(Math.min(255, Math.max(0, v)));
      }
    }
    return out;
  }
}
