package io.tunelab.cli.options;

import io.tunelab.cli.CliSupport;
import java.util.List;
import picocli.CommandLine.Option;

/** Which part of a dataset a run trains on: the classes it keeps, and how many images of each. */
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

  /** The classes to keep; empty means all. */
  public List<String> classList() {
    return CliSupport.classes(classes);
  }
}
