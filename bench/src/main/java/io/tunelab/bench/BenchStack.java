package io.tunelab.bench;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.tunelab.cli.TunelabCli;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** What the benchmarks on an embedded stack share: its clients and their Fashion-MNIST folders. */
final class BenchStack {
  private BenchStack() {}

  /** The stack's bucket. */
  static ObjectStore store(EmbeddedStack stack, S3Credentials creds) {
    return ObjectStore.connect(
        new StoreConfig(
            stack.endpoints().s3Endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
  }

  /** Stubs of the stack's Temporal service. */
  static WorkflowServiceStubs stubs(EmbeddedStack stack) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(stack.endpoints().temporalTarget())
            .build());
  }

  /**
   * Writes the source folder (classes 0-4, 400 images each) under {@code home/data/source-0-4} and
   * the target (classes 5-9, {@code perClass} each) under {@code home/data/target-5-9}; returns the
   * target's file count.
   */
  static int exportFashion(Path idx, Path home, int perClass) throws IOException {
    LabeledImages all = FashionMnistFolders.read(idx, true);
    FashionMnistFolders.export(
        all, new int[] {0, 1, 2, 3, 4}, 400, 1, home.resolve("data/source-0-4"));
    return FashionMnistFolders.export(
            all, new int[] {5, 6, 7, 8, 9}, perClass, 2, home.resolve("data/target-5-9"))
        .size();
  }

  /** What a verb run in-process printed and returned. */
  record Verb(int code, String out, String err) {}

  /** Runs one verb in-process, as {@code main} would, with {@code connection} flags appended. */
  static Verb run(List<String> connection, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(connection);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TunelabCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(all.toArray(String[]::new));
    return new Verb(code, out.toString(), err.toString());
  }

  /** The connection flags of a verb against the stack. */
  static List<String> flags(Path home, EmbeddedStack stack) {
    return List.of(
        "--home",
        home.toString(),
        "--temporal-target",
        stack.endpoints().temporalTarget(),
        "--s3-endpoint",
        stack.endpoints().s3Endpoint());
  }

  /** Runs one verb in-process; fails the benchmark unless it exits 0. */
  static Verb runOrFail(List<String> connection, String... args) {
    Verb verb = run(connection, args);
    if (verb.code() != 0) {
      throw new IllegalStateException(
          "tunelab "
              + String.join(" ", args)
              + " exited "
              + verb.code()
              + "\n"
              + verb.err()
              + verb.out());
    }
    return verb;
  }

  /** This process's CPU time, all threads (the worker trains in-process), in seconds. */
  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /** Seconds since {@code nanoTime}. */
  static double seconds(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1e9;
  }

  /** Seconds from a workflow's first history event to its last. */
  static double span(io.temporal.client.WorkflowClient client, String workflowId) {
    List<io.temporal.api.history.v1.HistoryEvent> events =
        client.fetchHistory(workflowId).getEvents();
    return (millis(events.get(events.size() - 1).getEventTime())
            - millis(events.get(0).getEventTime()))
        / 1e3;
  }

  static long millis(com.google.protobuf.Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }
}
