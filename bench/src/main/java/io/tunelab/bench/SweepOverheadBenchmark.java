package io.tunelab.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.ObjectStore;
import io.tunelab.training.OneDnnGuard;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code bench/sweep-overhead.sh}: what running experiments as a sweep costs over running them one
 * after the other. On an embedded stack in this process with one worker, side by side: a sweep of
 * three learning rates × one seed at max-parallel 1 ({@code tunelab sweep --vary lr=... --wait}),
 * and the same three runs started one after the other ({@code tunelab run --lr X --wait} each),
 * every one fine-tune only without the probes. Both go through the CLI's verbs, in-process, and are
 * timed by wall clock from the verb's start to its return.
 *
 * <p>Set-up (not timed): Fashion-MNIST classes 0–4 (400 images each) and 5–9 ({@code perClass}
 * each) exported as PNG class folders; {@code base} pretrained for one epoch on classes 0–4; one
 * untimed run on the target, so that every timed run and member finds the stored ingest (the first
 * ingest of a folder would otherwise be charged to whichever side ran first). Then {@code rounds}
 * rounds, alternating which side goes first.
 *
 * <p>Usage: {@code SweepOverheadBenchmark [epochs=3] [perClass=1000] [rounds=2] [idx dir]}.
 */
public final class SweepOverheadBenchmark {
  /** The varied learning rates, one run or member each. */
  static final List<String> RATES = List.of("0.01", "0.003", "0.001");

  private final List<String> connection;
  private final WorkflowClient client;

  /** CPU seconds of this process spent in each side, for information. */
  private double sweepCpu;

  private double runsCpu;

  private SweepOverheadBenchmark(List<String> connection, WorkflowClient client) {
    this.connection = connection;
    this.client = client;
  }

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    OneDnnGuard.apply();
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int perClass = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path idx = args.length > 3 ? Path.of(args[3]) : FashionMnistFolders.DEFAULT_DIR;
    Path home = Files.createTempDirectory("tunelab-sweep-bench");
    int status;
    try {
      status = run(home, idx, epochs, perClass, rounds);
    } finally {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(status);
  }

  private static int run(Path home, Path idx, int epochs, int perClass, int rounds)
      throws Exception {
    int files = BenchStack.exportFashion(idx, home, perClass);

    long t0 = System.nanoTime();
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    try (EmbeddedStack stack = EmbeddedStack.start(home, 0, 0, creds, "tunelab")) {
      ObjectStore store = BenchStack.store(stack, creds);
      WorkflowServiceStubs stubs = BenchStack.stubs(stack);
      WorkflowClient client =
          WorkflowClient.newInstance(
              stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
      try (TunelabWorker worker =
          TunelabWorker.start(client, "tunelab", store, WorkerSettings.defaults())) {
        SweepOverheadBenchmark bench =
            new SweepOverheadBenchmark(BenchStack.flags(home, stack), client);
        System.out.printf(
            Locale.ROOT, "set-up: embedded stack and one worker up in %.1f s%n", seconds(t0));
        return bench.rounds(
            home.resolve("data/source-0-4"),
            home.resolve("data/target-5-9"),
            files,
            epochs,
            perClass,
            rounds);
      } finally {
        stubs.shutdownNow();
      }
    }
  }

  private int rounds(Path source, Path target, int files, int epochs, int perClass, int rounds)
      throws Exception {
    long p0 = System.nanoTime();
    cli(
        "pretrain",
        "--data",
        source.toString(),
        "--name",
        "base",
        "--epochs",
        "1",
        "--batch-size",
        "64",
        "--device",
        "cpu",
        "--wait");
    System.out.printf(
        Locale.ROOT,
        "set-up: pretrained 'base' (cnn, 1 epoch on classes 0-4) in %.1f s%n",
        seconds(p0));
    List<String> flags =
        List.of(
            "--data",
            target.toString(),
            "--pretrained",
            "base",
            "--epochs",
            String.valueOf(epochs),
            "--early-stopping-patience",
            "0",
            "--batch-size",
            "64",
            "--no-scratch",
            "--no-probes",
            "--device",
            "cpu");
    long w0 = System.nanoTime();
    run(flags, "0.001", "warm-up");
    System.out.printf(
        Locale.ROOT,
        "set-up: one untimed run (ingest stored for every later run) in %.1f s%n",
        seconds(w0));
    System.out.printf(
        Locale.ROOT,
        "workload: %d PNGs of classes 5-9 (%d per class), %d epochs, batch 64, adam,"
            + " fine-tune only, no probes, lr %s; one worker%n",
        files,
        perClass,
        epochs,
        String.join(" / ", RATES));

    double sweepSum = 0;
    double runsSum = 0;
    for (int round = 1; round <= rounds; round++) {
      // Odd rounds run the sweep first, even rounds the separate runs first, against drift.
      boolean sweepFirst = round % 2 == 1;
      System.out.println(
          "--- round " + round + (sweepFirst ? " (sweep first)" : " (separate runs first)"));
      double sweep = sweepFirst ? sweep(flags, round) : 0;
      double runs = 0;
      StringBuilder each = new StringBuilder();
      for (int i = 0; i < RATES.size(); i++) {
        double t = run(flags, RATES.get(i), "r" + round + "-c" + (i + 1));
        runs += t;
        each.append(i == 0 ? "" : " + ").append(String.format(Locale.ROOT, "%.2f", t));
      }
      System.out.printf(Locale.ROOT, "runs one after the other: %.2f s (%s)%n", runs, each);
      double spans = 0;
      for (int i = 0; i < RATES.size(); i++) {
        spans += span("bench-run-r" + round + "-c" + (i + 1));
      }
      System.out.printf(
          Locale.ROOT,
          "  inside the runs' workflows %.2f s; outside them (the verbs) %.2f s%n",
          spans,
          runs - spans);
      if (!sweepFirst) {
        sweep = sweep(flags, round);
      }
      System.out.printf(
          Locale.ROOT, "round %d: sweep / runs = %.3f%n", round, sweep / Math.max(runs, 1e-9));
      sweepSum += sweep;
      runsSum += runs;
    }
    System.out.printf(
        Locale.ROOT,
        "total over %d rounds: sweep %.2f s, runs %.2f s%n",
        rounds,
        sweepSum,
        runsSum);
    // Other processes on shared cores stretch wall times; this process's CPU time is less swayed.
    System.out.printf(
        Locale.ROOT,
        "for information, this process's CPU time: sweep %.1f s, runs %.1f s, ratio %.3f%n",
        sweepCpu,
        runsCpu,
        sweepCpu / runsCpu);
    System.out.printf(Locale.ROOT, "sweep-overhead: ratio %.2f%n", sweepSum / runsSum);
    return 0;
  }

  /** Times {@code sweep --vary lr=... --max-parallel 1 --wait}. */
  private double sweep(List<String> flags, int round) throws Exception {
    List<String> args = new ArrayList<>(List.of("sweep"));
    args.addAll(flags);
    args.addAll(
        List.of(
            "--vary",
            "lr=" + String.join(",", RATES),
            "--max-parallel",
            "1",
            "--name",
            "bench-sweep-r" + round,
            "--wait"));
    long s0 = System.nanoTime();
    double c0 = cpu();
    cli(args.toArray(String[]::new));
    double t = seconds(s0);
    sweepCpu += cpu() - c0;
    System.out.printf(
        Locale.ROOT, "sweep of %d configs x 1 seed, max-parallel 1: %.2f s%n", RATES.size(), t);
    String id = "bench-sweep-r" + round;
    double members = 0;
    for (int i = 0; i < RATES.size(); i++) {
      members += span(id + "-c" + (i + 1) + "-s42");
    }
    double whole = span(id);
    System.out.printf(
        Locale.ROOT,
        "  inside the members' workflows %.2f s; the sweep's workflow %.2f s (%.2f s between and"
            + " after its members); outside it (the verb) %.2f s%n",
        members,
        whole,
        whole - members,
        t - whole);
    return t;
  }

  /** Times {@code run --lr X --wait}. */
  private double run(List<String> flags, String lr, String name) throws Exception {
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(flags);
    args.addAll(List.of("--lr", lr, "--name", "bench-run-" + name, "--wait"));
    long r0 = System.nanoTime();
    double c0 = cpu();
    cli(args.toArray(String[]::new));
    if (!name.equals("warm-up")) {
      runsCpu += cpu() - c0;
    }
    return seconds(r0);
  }

  private double span(String workflowId) {
    return BenchStack.span(client, workflowId);
  }

  private void cli(String... args) {
    BenchStack.runOrFail(connection, args);
  }

  private static double cpu() {
    return BenchStack.cpuSeconds();
  }

  private static double seconds(long since) {
    return BenchStack.seconds(since);
  }
}
