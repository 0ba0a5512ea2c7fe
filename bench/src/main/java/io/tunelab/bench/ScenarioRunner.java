package io.tunelab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.ObjectStore;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link DiagnosisScenarios} and {@link DiagnosisHarness} share: an embedded stack with an
 * in-process worker in a home, and the CLI's verbs ({@code pretrain}, {@code run}, {@code report})
 * run in this process against it, each verb's output kept in a log. Both suites judge whatever
 * findings engine the jar on the class path carries.
 */
final class ScenarioRunner implements AutoCloseable {
  private final EmbeddedStack stack;
  private final WorkflowServiceStubs stubs;
  private final TunelabWorker worker;
  private final List<String> connection;
  private final ObjectStore store;
  private final ObjectMapper json = new ObjectMapper();

  private ScenarioRunner(Path home) {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    stack = EmbeddedStack.start(home, 0, 0, creds, "tunelab");
    connection = BenchStack.flags(home, stack);
    store = BenchStack.store(stack, creds);
    stubs = BenchStack.stubs(stack);
    worker =
        TunelabWorker.start(
            WorkflowClient.newInstance(
                stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build()),
            "tunelab",
            store,
            WorkerSettings.defaults());
  }

  /** Starts a stack and a worker in {@code home}. */
  static ScenarioRunner start(Path home) {
    return new ScenarioRunner(home);
  }

  /** The stack's bucket (runs' stored probes and reports). */
  ObjectStore store() {
    return store;
  }

  /** What one CLI invocation printed. */
  record Cli(int code, String out, String err) {}

  /**
   * A finished run as its report tells it.
   *
   * @param report the report ({@code run --json}, or {@code report} after a failed run), or {@code
   *     null} when there is none
   * @param note why the run did not exit 0, or empty
   * @param seconds wall time of the run, report included
   */
  record Finished(JsonNode report, String note, double seconds) {}

  /** Runs one verb in-process, as {@code main} would, and writes what it printed to {@code log}. */
  Cli cli(Path log, String... args) throws IOException {
    BenchStack.Verb verb = BenchStack.run(connection, args);
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        "$ tunelab "
            + String.join(" ", args)
            + "\nexit "
            + verb.code()
            + "\n--- stderr\n"
            + verb.err()
            + "\n--- stdout\n"
            + verb.out());
    return new Cli(verb.code(), verb.out(), verb.err());
  }

  /**
   * Pretrains {@code model}, a {@code cnn}, on a class-folder dataset and returns the report, or
   * {@code null} when pretraining failed (its log says why).
   */
  JsonNode pretrain(Path source, String model, int epochs, long seed, Path log) throws IOException {
    Cli pre =
        cli(
            log,
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            model,
            "--model",
            "cnn",
            "--epochs",
            Integer.toString(epochs),
            "--batch-size",
            "64",
            "--lr",
            "0.001",
            "--seed",
            Long.toString(seed),
            "--device",
            "cpu",
            "--run-name",
            "pretrain-" + model,
            "--wait",
            "--json");
    return pre.code() == 0 ? json.readTree(pre.out()) : null;
  }

  /** The test accuracy in a pretraining report. */
  static double pretrainAccuracy(JsonNode report) {
    JsonNode arms = report.path("arms");
    return arms.path("finetune")
        .path("test")
        .path("acc")
        .asDouble(arms.path("pretrain").path("test").path("acc").asDouble());
  }

  /**
   * Runs {@code tunelab run --wait --json} on a dataset with the given flags (see {@link #args})
   * and keeps, in {@code dir}, {@code command.txt}, {@code run.log} and the report as {@code
   * report.json}. A failed run (a diverged arm, say) is judged on its stored report.
   */
  Finished run(String runId, Path data, String pretrained, Map<String, String> flags, Path dir)
      throws IOException {
    long t0 = System.nanoTime();
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--data",
                data.toString(),
                "--pretrained",
                pretrained,
                "--name",
                runId,
                "--wait",
                "--json"));
    args.addAll(args(flags));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("command.txt"), "tunelab " + String.join(" ", args) + "\n");
    Cli run = cli(dir.resolve("run.log"), args.toArray(String[]::new));
    String reportText = run.out();
    String note = "";
    if (run.code() != 0) {
      note = "run exit " + run.code();
      Cli report = cli(dir.resolve("report.log"), "report", runId, "--format", "json");
      reportText = report.code() == 0 ? report.out() : "";
    }
    JsonNode report;
    try {
      report = reportText.isBlank() ? null : json.readTree(reportText);
    } catch (IOException e) {
      report = null;
    }
    if (report != null) {
      Files.writeString(
          dir.resolve("report.json"),
          json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
    return new Finished(report, note, seconds(t0));
  }

  /**
   * Command-line arguments of a flag map: a {@code null} value is a switch, {@code "-"} leaves the
   * flag out (so an override can remove a default), anything else is the flag's value.
   */
  static List<String> args(Map<String, String> flags) {
    List<String> args = new ArrayList<>();
    flags.forEach(
        (k, v) -> {
          if (v == null) {
            args.add(k);
          } else if (!v.equals("-")) {
            args.add(k);
            args.add(v);
          }
        });
    return args;
  }

  /**
   * {@code base} with {@code overrides} put over it, in {@code base}'s order where both have a
   * flag.
   */
  static Map<String, String> merge(Map<String, String> base, Map<String, String> overrides) {
    Map<String, String> m = new LinkedHashMap<>(base);
    m.putAll(overrides);
    return m;
  }

  /** A flag map from flag, value pairs. */
  static Map<String, String> flags(String... kv) {
    if (kv.length % 2 != 0) {
      throw new IllegalArgumentException("flags come in flag, value pairs: " + List.of(kv));
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  @Override
  public void close() {
    try {
      worker.close();
    } finally {
      stubs.shutdownNow();
      stack.close();
    }
  }
}
