package io.tunelab.bench;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench/probe-cost.sh}: what the diagnosis probes add to a run. On an embedded stack in this
 * process with one worker, side by side: {@code tunelab run --wait} with the probes (the default)
 * and the same run with {@code --no-probes}, both through the CLI's verbs in-process, timed by wall
 * clock from the verb's start to its return. For information, the probe activity's own span in the
 * run's history.
 *
 * <p>Set-up (not timed): Fashion-MNIST classes 0–4 (400 images each) and 5–9 ({@code perClass}
 * each) exported as PNG class folders; {@code base} pretrained for one epoch on classes 0–4 (so the
 * runs have a source for the forgetting and control probes); one untimed run with the probes that
 * stores the target's ingest and warms both sides' code. Then {@code rounds} rounds, alternating
 * which side goes first.
 *
 * <p>Usage: {@code ProbeCostBenchmark [perClass=430] [epochs=5] [rounds=1] [arms=both|finetune]
 * [idx dir]}. The defaults are the demo's size: 430 images per class (300 of them train), fine-tune
 * and scratch, 5 epochs.
 */
public final class ProbeCostBenchmark {
  private final List<String> connection;
  private final WorkflowClient client;

  private ProbeCostBenchmark(List<String> connection, WorkflowClient client) {
    this.connection = connection;
    this.client = client;
  }

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    OneDnnGuard.apply();
    int perClass = args.length > 0 ? Integer.parseInt(args[0]) : 430;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    boolean scratch = args.length <= 3 || !"finetune".equals(args[3]);
    Path idx = args.length > 4 ? Path.of(args[4]) : FashionMnistFolders.DEFAULT_DIR;
    Path home = Files.createTempDirectory("tunelab-probe-bench");
    try {
      int files = BenchStack.exportFashion(idx, home, perClass);
      S3Credentials creds = CredentialStore.resolve(home, null, null);
      try (EmbeddedStack stack = EmbeddedStack.start(home, 0, 0, creds, "tunelab")) {
        ObjectStore store = BenchStack.store(stack, creds);
        WorkflowServiceStubs stubs = BenchStack.stubs(stack);
        WorkflowClient client =
            WorkflowClient.newInstance(
                stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
        try (TunelabWorker worker =
            TunelabWorker.start(client, "tunelab", store, WorkerSettings.defaults())) {
          new ProbeCostBenchmark(BenchStack.flags(home, stack), client)
              .rounds(home, files, perClass, epochs, rounds, scratch);
        } finally {
          stubs.shutdownNow();
        }
      }
    } finally {
      try (Stream<Path> all = Files.walk(home)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(0);
  }

  private void rounds(Path home, int files, int perClass, int epochs, int rounds, boolean scratch) {
    long p0 = System.nanoTime();
    BenchStack.runOrFail(
        connection,
        "pretrain",
        "--data",
        home.resolve("data/source-0-4").toString(),
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
        BenchStack.seconds(p0));
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--data",
                home.resolve("data/target-5-9").toString(),
                "--pretrained",
                "base",
                "--epochs",
                String.valueOf(epochs),
                "--early-stopping-patience",
                "0",
                "--device",
                "cpu"));
    if (!scratch) {
      flags.add("--no-scratch");
    }
    long w0 = System.nanoTime();
    // With the probes, so that both sides' code is warm (the run without them is a subset): a
    // warm-up without them left the first timed run with probes paying for its JIT and first calls.
    run(flags, true, "warm-up");
    System.out.printf(
        Locale.ROOT,
        "set-up: one untimed run with probes (stores the ingest, warms both sides) in %.1f s%n",
        BenchStack.seconds(w0));
    System.out.printf(
        Locale.ROOT,
        "workload: %d PNGs of classes 5-9 (%d per class), %d epochs, the run's defaults otherwise,"
            + " %s; one worker%n",
        files,
        perClass,
        epochs,
        scratch ? "fine-tune and scratch" : "fine-tune only");
    double with = 0;
    double without = 0;
    for (int round = 1; round <= rounds; round++) {
      boolean probesFirst = round % 2 == 1;
      System.out.println(
          "--- round " + round + (probesFirst ? " (with probes first)" : " (without first)"));
      for (boolean probes :
          probesFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
        String name = "bench-" + (probes ? "probes" : "no-probes") + "-r" + round;
        double t = run(flags, probes, name);
        if (probes) {
          with += t;
          System.out.printf(
              Locale.ROOT,
              "with probes: %.2f s (the probe activity %.2f s of it)%n",
              t,
              activitySeconds(name, "Probe"));
        } else {
          without += t;
          System.out.printf(Locale.ROOT, "--no-probes: %.2f s%n", t);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "total over %d rounds: with probes %.2f s, --no-probes %.2f s%n",
        rounds,
        with,
        without);
    System.out.printf(Locale.ROOT, "probe-cost: ratio %.2f%n", with / without);
  }

  /** Times {@code run --wait}, with or without probes. */
  private double run(List<String> flags, boolean probes, String name) {
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(flags);
    if (!probes) {
      args.add("--no-probes");
    }
    args.addAll(List.of("--name", name, "--wait"));
    long r0 = System.nanoTime();
    BenchStack.runOrFail(connection, args.toArray(String[]::new));
    return BenchStack.seconds(r0);
  }

  /** Seconds from scheduling to completion of the activities whose type contains {@code type}. */
  private double activitySeconds(String workflowId, String type) {
    Map<Long, Long> scheduled = new HashMap<>();
    double total = 0;
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && e.getActivityTaskScheduledEventAttributes()
              .getActivityType()
              .getName()
              .contains(type)) {
        scheduled.put(e.getEventId(), BenchStack.millis(e.getEventTime()));
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        Long at = scheduled.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId());
        if (at != null) {
          total += (BenchStack.millis(e.getEventTime()) - at) / 1e3;
        }
      }
    }
    return total;
  }
}
