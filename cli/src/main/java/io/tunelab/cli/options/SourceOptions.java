package io.tunelab.cli.options;

import io.tunelab.cli.CliSupport;
import picocli.CommandLine.Option;

/**
 * Where a run's data come from, shared by {@code run} and {@code pretrain}: {@code --data SRC}, a
 * folder or prefix of images, or a table (a CSV file, or a folder holding train.csv and val.csv).
 */
public final class SourceOptions {
  @Option(
      names = "--data",
      required = true,
      paramLabel = "SRC",
      description =
          "Folder or s3://bucket/prefix: class folders, or train/ val/ [test/]; or a table:"
              + " FILE.csv, or train.csv val.csv [test.csv].")
  public String data;

  /**
   * The source as a run takes it: an {@code s3://} URI as given, or the absolute path of the local
   * folder; usage errors for a folder that is missing or cannot be read.
   */
  public String resolved() {
    return CliSupport.resolveData(data);
  }
}
