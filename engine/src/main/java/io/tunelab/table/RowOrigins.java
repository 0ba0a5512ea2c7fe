package io.tunelab.table;

import java.util.AbstractList;
import java.util.Objects;

/**
 * The origins of rows that all come from one file, {@code FILE.csv:LINE}, kept as the file name and
 * an array of line numbers rather than one string per row: a table of millions of rows would
 * otherwise spend more memory on its origins than on its values. Immutable.
 */
public final class RowOrigins extends AbstractList<String> {
  private final String file;
  private final int[] lines;

  /**
   * The origins of rows of {@code file} at these 1-based lines (the header is line 1).
   *
   * @param lines not copied: the caller hands it over and never changes it again
   */
  public RowOrigins(String file, int[] lines) {
    this.file = Objects.requireNonNull(file, "file");
    this.lines = Objects.requireNonNull(lines, "lines");
  }

  /** The file every row comes from. */
  public String file() {
    return file;
  }

  /** The line of row {@code i}. */
  public int line(int i) {
    return lines[i];
  }

  @Override
  public String get(int i) {
    return file + ":" + lines[i];
  }

  @Override
  public int size() {
    return lines.length;
  }
}
