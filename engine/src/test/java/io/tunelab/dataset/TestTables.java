package io.tunelab.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generated tables for the ingest's tests: an id column, 10 informative features x0..x9 whose
 * weighted sum decides the class ({@code yes} when positive), 3 noise features, a text column
 * {@code colour} (red, green, blue) and the class column {@code label}.
 */
final class TestTables {
  static final String HEADER = "id,x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,n0,n1,n2,colour,label";
  private static final String[] COLOURS = {"red", "green", "blue"};

  private TestTables() {}

  /** {@code rows} generated data lines (no header), seeded. */
  static List<String> rows(int rows, long seed, int firstId) {
    Random rng = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      StringBuilder line = new StringBuilder().append(firstId + r);
      double score = 0;
      for (int j = 0; j < 10; j++) {
        double x = rng.nextGaussian() * (j + 1);
        score += x * (j % 2 == 0 ? 1 : -0.5);
        line.append(',').append(String.format(Locale.ROOT, "%.4f", x));
      }
      for (int j = 0; j < 3; j++) {
        line.append(',').append(String.format(Locale.ROOT, "%.4f", rng.nextDouble()));
      }
      line.append(',').append(COLOURS[rng.nextInt(3)]);
      line.append(',').append(score > 0 ? "yes" : "no");
      lines.add(line.toString());
    }
    return lines;
  }

  /** Writes a CSV of the header and these lines. */
  static Path write(Path file, String header, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    List<String> all = new ArrayList<>();
    all.add(header);
    all.addAll(lines);
    Files.write(file, all, StandardCharsets.UTF_8);
    return file;
  }
}
