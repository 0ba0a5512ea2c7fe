package io.tunelab.cli.commands;

import io.tunelab.cli.CliSupport;
import io.tunelab.cli.Services;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.options.ColumnOptions;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.dataset.DatasetPusher;
import io.tunelab.dataset.ImageSource;
import io.tunelab.dataset.Ingestor;
import io.tunelab.dataset.LocalFolderSource;
import io.tunelab.dataset.RejectedFile;
import io.tunelab.dataset.S3PrefixSource;
import io.tunelab.dataset.TableFiles;
import io.tunelab.dataset.TableOptions;
import io.tunelab.storage.Keys;
import io.tunelab.storage.S3ObjectStore;
import io.tunelab.workflows.model.TableColumns;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tunelab data push SRC --dataset NAME}: validates SRC and uploads its good files as a new
 * version {@code datasets/NAME/v<N>-<8 hex>/}, {@code _READY} last; prints the version.
 */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = {
      "Validates SRC like an ingest (every image decoded) and uploads it as a new"
          + " version of dataset NAME: datasets/NAME/v<N>-<hash>/ in the bucket, laid out like SRC,"
          + " with _READY written last. Prints the version on the last line of stdout.",
      "A table (CSV) is validated as its ingest reads it (header, --label, --ignore-columns,"
          + " every row) and its files are uploaded whole; unreadable rows are listed on stderr.",
      "Rejected files are listed on stderr and not uploaded. Content identical to an existing"
          + " version uploads nothing and prints that version."
    })
public final class DataPushCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SRC",
      description =
          "Folder (class folders, or train/ val/ [test/]) or s3://bucket/prefix; or a table:"
              + " FILE.csv, or a folder holding train.csv, val.csv [test.csv].")
  String source;

  @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Dataset name.")
  String dataset;

  @Mixin ColumnOptions columns;

  @Override
  public Integer call() throws IOException {
    CliSupport.requireDatasetName(dataset);
    PrintWriter err = spec.commandLine().getErr();
    try (Services services = new Services(connection)) {
      Progress progress = new Progress(err);
      DatasetPusher pusher = new DatasetPusher(services.store(), new Ingestor());
      TableFiles table = table(source, services);
      DatasetPusher.Outcome outcome;
      try {
        if (table != null) {
          TableColumns c = TableColumns.of(columns.columns());
          outcome =
              pusher.pushTable(
                  table, new TableOptions(c.label(), c.ignore(), 0, 0), dataset, progress);
        } else {
          outcome = pusher.push(open(source, services), dataset, progress);
        }
      } catch (UncheckedIOException e) {
        throw new IOException(e.getMessage(), e);
      }
      for (RejectedFile r : outcome.rejected()) {
        err.println("rejected " + r.path() + ": " + r.reason());
      }
      String where =
          "s3://"
              + services.store().bucket()
              + "/"
              + Keys.datasetVersion(dataset, outcome.version());
      if (outcome.uploaded()) {
        err.printf(
            table != null
                ? "pushed %d files to %s (%d rows an ingest rejects, listed above)%n"
                : "pushed %d files to %s (%d rejected, not uploaded)%n",
            outcome.files(),
            where,
            outcome.rejected().size());
      } else {
        err.printf(
            "dataset %s already has this content as version %s (%s); nothing uploaded%n",
            dataset, outcome.version(), where);
      }
      err.flush();
      spec.commandLine().getOut().println(outcome.version());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** The table SRC names (a .csv file, or a folder holding train.csv), or null for images. */
  private static TableFiles table(String source, Services services) throws IOException {
    if (source.startsWith("s3://")) {
      return source.length() <= "s3://".length() ? null : TableFiles.open(source, services.store());
    }
    Path path = Path.of(source).toAbsolutePath().normalize();
    return Files.exists(path) ? TableFiles.open(path.toString(), services.store()) : null;
  }

  private static ImageSource open(String source, Services services) {
    if (source.startsWith("s3://")) {
      if (source.length() <= "s3://".length()) {
        throw new UsageException("SRC " + source + ": no bucket in the s3:// URI");
      }
      return S3PrefixSource.parse(S3ObjectStore.clientOf(services.store()), source);
    }
    Path path = Path.of(source).toAbsolutePath().normalize();
    if (!Files.isDirectory(path)) {
      throw new UsageException(
          "SRC " + source + ": " + (Files.exists(path) ? "not a folder" : "no such folder"));
    }
    return new LocalFolderSource(path);
  }

  /** Progress lines on stderr, at most one per second per stage, and the last one. */
  private static final class Progress implements DatasetPusher.Listener {
    private final PrintWriter err;
    private long last;

    Progress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void validating(int done, int total) {
      show("validating", done, total);
    }

    @Override
    public void uploading(int done, int total) {
      show("uploading", done, total);
    }

    private void show(String stage, int done, int total) {
      long now = System.nanoTime();
      if (done == total || now - last > 1_000_000_000L) {
        last = now;
        err.printf("%s %d/%d files%n", stage, done, total);
        err.flush();
      }
    }
  }
}
