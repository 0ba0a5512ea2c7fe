package io.tunelab.cli.options;

import io.tunelab.cli.CliSupport;
import io.tunelab.cli.UsageException;
import io.tunelab.workflows.model.TableColumns;
import picocli.CommandLine.Option;

/**
 * Which columns of a table source are read, for every verb that takes a table ({@code run}, {@code
 * pretrain}, {@code watch}, {@code sweep}, {@code data push}): {@code --label COLUMN} and {@code
 * --ignore-columns a,b}. Image sources ignore them.
 */
public final class ColumnOptions {
  @Option(
      names = "--label",
      paramLabel = "COLUMN",
      description =
          "Tables: the class column (default: a column named label, target or class, else the"
              + " last column).")
  public String label;

  @Option(
      names = "--ignore-columns",
      paramLabel = "a,b",
      description = "Tables: columns to drop before training, such as ids.")
  public String ignoreColumns;

  /**
   * The table columns these options select, or {@code null} when neither flag is given (the
   * defaults; specs then read and write as before tables).
   */
  public TableColumns columns() {
    if (label == null && ignoreColumns == null) {
      return null;
    }
    try {
      return new TableColumns(label, CliSupport.classes(ignoreColumns));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--label " + label + ": " + e.getMessage());
    }
  }
}
