package io.tunelab.cli;

import io.tunelab.storage.Keys;
import io.tunelab.workflows.model.DatasetNames;
import io.tunelab.workflows.model.ModelNames;
import io.tunelab.workflows.model.RunState;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Checks and normalises arguments and prints results; shared by the commands. */
public final class CliSupport {
  private CliSupport() {}

  /** An {@code s3://} URI as given, or the absolute path of an existing local folder. */
  public static String resolveData(String data) {
    if (data.startsWith("s3://")) {
      if (data.length() <= "s3://".length()) {
        throw new UsageException("--data " + data + ": no bucket in the s3:// URI");
      }
      return data;
    }
    Path path = Path.of(data).toAbsolutePath().normalize();
    if (!Files.exists(path)) {
      throw new UsageException("--data " + data + ": no such folder");
    }
    boolean csv =
        path.getFileName() != null
            && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
    if (!Files.isDirectory(path) && !(csv && Files.isRegularFile(path))) {
      throw new UsageException("--data " + data + ": not a folder or a .csv file");
    }
    if (!Files.isReadable(path)) {
      throw new UsageException("--data " + data + ": not readable");
    }
    return path.toString();
  }

  /** Checks a {@code --dataset} name against the dataset name rules; a usage error naming it. */
  public static void requireDatasetName(String dataset) {
    try {
      DatasetNames.requireValid(dataset);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--dataset " + dataset + ": " + e.getMessage());
    }
  }

  /** Checks a {@code --name} model name against the model name rules; a usage error naming it. */
  public static void requireModelName(String name) {
    try {
      ModelNames.requireValid(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--name " + name + ": " + e.getMessage());
    }
  }

  /** Class names from a comma-separated list; empty means all. */
  public static List<String> classes(String csv) {
    if (csv == null || csv.isBlank()) {
      return List.of();
    }
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Prints the run's stored report JSON, when the bucket holds one. */
  public static void printStoredReport(String runId, Services services, PrintWriter out) {
    String key = Keys.report(runId);
    if (services.store().exists(key)) {
      out.println(new String(services.store().get(key), StandardCharsets.UTF_8));
      out.flush();
    }
  }

  /** Prints a finished run: the stored report JSON alone with {@code json}, else the summary. */
  public static void printResult(RunState state, boolean json, Services services, PrintWriter out) {
    if (json) {
      byte[] report = services.store().get(state.reportKey());
      out.println(new String(report, StandardCharsets.UTF_8));
      out.flush();
    } else {
      Summary.print(state, services.options().bucket, out);
    }
  }
}
