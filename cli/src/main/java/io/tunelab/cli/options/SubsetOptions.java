package io.tunelab.cli.options;

import io.tunelab.cli.CliSupport;
import io.tunelab.workflows.model.ClipStacks;
import io.tunelab.workflows.model.TableColumns;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which part of a dataset a run trains on: the classes it keeps, how many samples of each, for a
 * table its class column and the columns it drops, and for clips how videos are cut into stacks.
 */
public final class SubsetOptions {
  @Option(
      names = "--classes",
      paramLabel = "a,b",
      description =
          "Classes to keep: folder names"
              + " (for an idx folder also its label numbers, e.g. 0,1,2).")
  public String classes;

  @Option(
      names = "--per-class",
      paramLabel = "N",
      defaultValue = "0",
      description = "Cap on training images per class; 0 = all.")
  public int perClass;

  @Mixin public ColumnOptions table;

  @Mixin public ClipOptions clips;

  /** How a clip source's videos are cut ({@code null}: the defaults); see {@link ClipOptions}. */
  public ClipStacks stacks() {
    return clips.stacks();
  }

  /** The table columns selected ({@code null}: the defaults); see {@link ColumnOptions}. */
  public TableColumns columns() {
    return table.columns();
  }

  /** The classes to keep; empty means all. */
  public List<String> classList() {
    return CliSupport.classes(classes);
  }
}
