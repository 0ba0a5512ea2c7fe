package io.tunelab.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.tunelab.cli.Launcher;
import io.tunelab.cli.ProgressView;
import io.tunelab.cli.Services;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCodec;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.ObjectStore;
import io.tunelab.training.CheckpointCodec;
import io.tunelab.training.Network;
import io.tunelab.training.OneDnnGuard;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.TrainingParams;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * {@code bench/durability-overhead.sh}: the wall time of a fine-tune-only experiment without the
 * diagnosis probes ({@code tunelab run --no-scratch --no-probes}: ingest, one Temporal activity per
 * epoch with a checkpoint in the bucket, test evaluation, diagnosis, report) on an embedded stack
 * in this process, compared with a bare DJL loop that trains the same network from the same
 * pretrained backbone for the same epochs on the same images, with the same per-epoch validation
 * and the final test evaluation, but no Temporal, no S3 and no checkpoints: one model and one
 * trainer for all epochs.
 *
 * <p>Set-up (not timed): Fashion-MNIST classes 0–4 (400 images each) and 5–9 ({@code perClass}
 * each) exported as PNG class folders; the embedded stack, a worker and a one-epoch pretraining on
 * classes 0–4 registered as {@code base}. Then, {@code rounds} times: the tunelab run, then the
 * bare loop. The bare loop's data load is a decode of every PNG of the folder (what a plain script
 * must do too); it then trains on the very splits the run's ingest stored.
 *
 * <p>Unless {@code TUNELAB_BENCH_WARMUP=0}, an untimed round of both sides comes first, so that
 * neither pays for the JIT compiling its path.
 *
 * <p>Unless {@code TUNELAB_BENCH_WITH_PROBES=0}, one more run with the probes (what a plain {@code
 * tunelab run --no-scratch} does) follows, for information: the probes are diagnosis, not
 * durability, so they are not in the ratio.
 *
 * <p>The split of the tunelab time comes from the workflow history (activity scheduled, started,
 * completed times) and from the epoch metrics (seconds inside {@code EpochTrainer.run}).
 *
 * <p>Usage: {@code DurabilityOverheadBenchmark [epochs=5] [perClass=3000] [rounds=6] [idx dir]}.
 */
public final class DurabilityOverheadBenchmark {
  private static final int BATCH = 64;
  private static final double LR = 0.001;
  private static final long SEED = 42;

  private DurabilityOverheadBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    OneDnnGuard.apply();
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int perClass = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    boolean withProbes = !"0".equals(System.getenv("TUNELAB_BENCH_WITH_PROBES"));
    boolean warmup = !"0".equals(System.getenv("TUNELAB_BENCH_WARMUP"));
    Path idx = args.length > 3 ? Path.of(args[3]) : FashionMnistFolders.DEFAULT_DIR;

    Path home = Files.createTempDirectory("tunelab-durability-bench");
    int status = 0;
    try {
      status = run(home, idx, epochs, perClass, rounds, withProbes, warmup);
    } finally {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(status);
  }

  private static int run(
      Path home, Path idx, int epochs, int perClass, int rounds, boolean withProbes, boolean warmup)
      throws Exception {
    int files = BenchStack.exportFashion(idx, home, perClass);
    Path source = home.resolve("data/source-0-4");
    Path target = home.resolve("data/target-5-9");

    long t0 = System.nanoTime();
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    try (EmbeddedStack stack = EmbeddedStack.start(home, 0, 0, creds, "tunelab")) {
      ConnectionOptions connection = new ConnectionOptions();
      connection.home = home;
      connection.temporalTarget = stack.endpoints().temporalTarget();
      connection.s3Endpoint = stack.endpoints().s3Endpoint();
      connection.namespace = "default";
      connection.taskQueue = "tunelab";
      connection.bucket = "tunelab";
      try (Services services = new Services(connection);
          TunelabWorker worker =
              TunelabWorker.start(
                  services.temporal(),
                  connection.taskQueue,
                  services.store(),
                  WorkerSettings.defaults())) {
        ObjectStore store = services.store();
        Launcher launcher = new Launcher(services);
        ProgressView quiet = new ProgressView(new PrintWriter(Writer.nullWriter()), false);
        System.out.printf(
            Locale.ROOT, "set-up: embedded stack and worker up in %.1f s%n", seconds(t0));

        long p0 = System.nanoTime();
        PretrainSpec pretrain =
            new PretrainSpec(
                Launcher.newRunId("bench-pretrain"),
                source.toString(),
                List.of(),
                0,
                "base",
                "cnn",
                28,
                params(1),
                null,
                null);
        launcher.startPretrain(pretrain);
        ModelInfo model = launcher.await(pretrain.runId(), quiet).registered();
        byte[] pretrained = store.get(model.parametersKey());
        System.out.printf(
            Locale.ROOT,
            "set-up: pretrained 'base' (cnn, 1 epoch on classes 0-4) in " + "%.1f s%n",
            seconds(p0));
        System.out.printf(
            Locale.ROOT,
            "workload: %d PNGs of classes 5-9 (%d per class), %d epochs,"
                + " batch %d, adam lr %s, fine-tune only, cpu, %d threads, %s%n",
            files,
            perClass,
            epochs,
            BATCH,
            LR,
            Runtime.getRuntime().availableProcessors(),
            OneDnnGuard.describe());

        double tunelabSum = 0;
        double bareSum = 0;
        Map<String, LabeledImages> splits = null;
        // Round 0 warms both paths up untimed: the JIT compiles each path the first time it
        // runs, which would charge whichever side runs first.
        for (int round = warmup ? 0 : 1; round <= rounds; round++) {
          // Odd rounds run tunelab first, even rounds the bare loop first, against drift.
          boolean bareFirst = round % 2 == 0 && splits != null;
          System.out.println(
              round == 0
                  ? "--- warm-up round (not timed)"
                  : "--- round " + round + (bareFirst ? " (bare loop first)" : ""));
          double bare = bareFirst ? bare(target, splits, pretrained, epochs) : 0;
          String runId = Launcher.newRunId("bench-run");
          ThreadCpu cpu0 = ThreadCpu.now();
          long r0 = System.nanoTime();
          RunState state = experiment(launcher, quiet, runId, target, epochs, true);
          double tunelab = seconds(r0);
          String tunelabCpu = ThreadCpu.now().since(cpu0);
          if (state == null) {
            return 1;
          }
          ArmResult arm = state.arms().get("finetune");
          System.out.printf(
              Locale.ROOT,
              "tunelab: run --no-scratch --no-probes %.2f s (train %d, "
                  + "val %d, test %d images; test acc %.4f)%n",
              tunelab,
              state.dataset().size("train"),
              state.dataset().size("val"),
              state.dataset().size("test"),
              arm.test().acc());
          split(services, runId, arm, tunelab);
          System.out.println("  " + tunelabCpu);
          if (splits == null) {
            // Not timed: the bare loop trains on exactly the splits the ingest stored.
            splits = new HashMap<>();
            for (Map.Entry<String, String> e : state.dataset().shardKeys().entrySet()) {
              splits.put(e.getKey(), ShardCodec.decode(store.get(e.getValue())));
            }
          }
          if (!bareFirst) {
            bare = bare(target, splits, pretrained, epochs);
          }
          if (round > 0) {
            tunelabSum += tunelab;
            bareSum += bare;
          }
        }
        System.out.printf(
            Locale.ROOT,
            "total over %d rounds: tunelab %.2f s, bare %.2f s%n",
            rounds,
            tunelabSum,
            bareSum);
        if (withProbes) {
          // For information: what the diagnosis probes (not durability) add to a default run.
          System.out.println("--- for information: the same run with the diagnosis probes");
          String runId = Launcher.newRunId("bench-probes");
          long r0 = System.nanoTime();
          RunState state = experiment(launcher, quiet, runId, target, epochs, false);
          double probed = seconds(r0);
          if (state == null) {
            return 1;
          }
          System.out.printf(Locale.ROOT, "tunelab: run --no-scratch %.2f s%n", probed);
          split(services, runId, state.arms().get("finetune"), probed);
          System.out.printf(
              Locale.ROOT,
              "with probes: %.2f s vs the mean bare loop %.2f s, "
                  + "ratio %.2f (not the durability overhead: the probes are diagnosis)%n",
              probed,
              bareSum / rounds,
              probed / (bareSum / rounds));
        }
        System.out.printf(Locale.ROOT, "durability-overhead: ratio %.2f%n", tunelabSum / bareSum);
        return 0;
      }
    }
  }

  /**
   * Runs a fine-tune-only experiment and awaits it; {@code null} (and says why) unless it
   * completed.
   */
  private static RunState experiment(
      Launcher launcher,
      ProgressView quiet,
      String runId,
      Path target,
      int epochs,
      boolean noProbes)
      throws Exception {
    ExperimentSpec spec =
        ExperimentSpec.builder()
            .runId(runId)
            .source(target.toString())
            .pretrained("base")
            .finetune(params(epochs))
            .scratchLearningRate(LR)
            .scratch(false)
            .skipProbes(noProbes)
            .build();
    launcher.startExperiment(spec);
    RunState state = launcher.await(runId, quiet);
    if (state.status() != RunStatus.COMPLETED) {
      System.out.println(
          "tunelab run " + runId + " ended " + state.status() + ": " + state.error());
      return null;
    }
    return state;
  }

  private static TrainingParams params(int epochs) {
    return TrainingParams.builder()
        .epochs(epochs)
        .batchSize(BATCH)
        .learningRate(LR)
        .optimizer(io.tunelab.workflows.model.Optimizer.ADAM)
        .seed(SEED)
        .device(io.tunelab.workflows.model.Device.CPU)
        .build();
  }

  /** Prints where the run's time went, from its workflow history and epoch metrics. */
  private static void split(Services services, String runId, ArmResult arm, double wall) {
    List<HistoryEvent> events = services.temporal().fetchHistory(runId).getEvents();
    Map<Long, String> typeById = new HashMap<>();
    Map<Long, Long> scheduledAt = new HashMap<>();
    Map<Long, Long> startedAt = new HashMap<>();
    Map<String, List<double[]>> byType = new LinkedHashMap<>();
    long first = millis(events.get(0).getEventTime());
    long last = millis(events.get(events.size() - 1).getEventTime());
    for (HistoryEvent e : events) {
      long at = millis(e.getEventTime());
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        typeById.put(
            e.getEventId(),
            e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
        scheduledAt.put(e.getEventId(), at);
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        startedAt.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), at);
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        long id = e.getActivityTaskCompletedEventAttributes().getScheduledEventId();
        byType
            .computeIfAbsent(typeById.get(id), k -> new ArrayList<>())
            .add(
                new double[] {
                  (startedAt.get(id) - scheduledAt.get(id)) / 1e3, (at - startedAt.get(id)) / 1e3
                });
      }
    }
    double activities = 0;
    for (Map.Entry<String, List<double[]>> e : byType.entrySet()) {
      double run = 0;
      double wait = 0;
      StringBuilder each = new StringBuilder();
      for (double[] d : e.getValue()) {
        wait += d[0];
        run += d[1];
        each.append(each.length() == 0 ? "" : ", ")
            .append(String.format(Locale.ROOT, "%.2f", d[1]));
      }
      activities += run;
      System.out.printf(
          Locale.ROOT,
          "  activity %-12s x%d: ran %.2f s [%s], waited to start " + "%.2f s%n",
          e.getKey(),
          e.getValue().size(),
          run,
          each,
          wait);
    }
    double inside = 0;
    List<double[]> epochs = byType.getOrDefault("TrainEpoch", List.of());
    StringBuilder perEpoch = new StringBuilder();
    for (int i = 0; i < arm.epochs().size() && i < epochs.size(); i++) {
      EpochMetrics m = arm.epochs().get(i);
      inside += m.seconds();
      perEpoch
          .append(i == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%.2f", epochs.get(i)[1] - m.seconds()));
    }
    double activityTotal = 0;
    for (double[] d : epochs) {
      activityTotal += d[1];
    }
    System.out.printf(
        Locale.ROOT,
        "  epochs: %.2f s inside EpochTrainer.run, %.2f s in the "
            + "TrainEpoch activities: activity I/O (checkpoint and shard get, checkpoint and latest.json "
            + "put, heartbeats) %.2f s = %s s per epoch%n",
        inside,
        activityTotal,
        activityTotal - inside,
        perEpoch);
    System.out.printf(
        Locale.ROOT,
        "  workflow: history spans %.2f s; %.2f s of it in activities;"
            + " %.2f s outside activities (workflow tasks, scheduling); client start/await %.2f s%n",
        (last - first) / 1e3,
        activities,
        (last - first) / 1e3 - activities,
        wall - (last - first) / 1e3);
  }

  /** The bare loop: decode the folder, then one model and one trainer for every epoch. */
  private static double bare(
      Path folder, Map<String, LabeledImages> splits, byte[] pretrained, int epochs)
      throws IOException {
    ThreadCpu cpu0 = ThreadCpu.now();
    long start = System.nanoTime();
    int decoded = decodeFolder(folder);
    double load = seconds(start);

    LabeledImages train = splits.get("train");
    LabeledImages val = splits.get("val");
    LabeledImages test = splits.get("test");
    long setup = System.nanoTime();
    Engine.getInstance().setRandomSeed(7);
    Network network = Network.build("cnn", train.shape(), 5);
    List<String> per = new ArrayList<>();
    double trainSeconds = 0;
    double valSeconds = 0;
    double testAcc;
    double setupSeconds;
    try (Model model = Model.newInstance("bench-bare", Device.cpu())) {
      model.setBlock(network.block());
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(
                  Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) LR)).build())
              .optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(network.batchShape(1));
        network.load(CheckpointCodec.decode(pretrained).parameters(), true);
        setupSeconds = seconds(setup);
        for (int epoch = 1; epoch <= epochs; epoch++) {
          long e0 = System.nanoTime();
          trainEpoch(trainer, train, epoch);
          long e1 = System.nanoTime();
          double valAcc = network.predict(trainer.getManager(), val).acc();
          long e2 = System.nanoTime();
          trainSeconds += (e1 - e0) / 1e9;
          valSeconds += (e2 - e1) / 1e9;
          per.add(String.format(Locale.ROOT, "%.2f", (e2 - e0) / 1e9));
          if (!(valAcc > 0)) {
            throw new IllegalStateException("bare loop: val acc " + valAcc);
          }
        }
        long t0 = System.nanoTime();
        testAcc = network.predict(trainer.getManager(), test).acc();
        valSeconds += seconds(t0);
      }
    }
    double total = seconds(start);
    System.out.printf(
        Locale.ROOT,
        "bare: %.2f s = PNG decode %.2f s (%d files) + model set-up "
            + "%.2f s + epochs (train + val) [%s] s + test eval; train %.2f s, val+test %.2f s "
            + "(test acc %.4f)%n",
        total,
        load,
        decoded,
        setupSeconds,
        String.join(", ", per),
        trainSeconds,
        valSeconds,
        testAcc);
    System.out.println("  " + ThreadCpu.now().since(cpu0));
    return total;
  }

  private static int decodeFolder(Path folder) throws IOException {
    List<Path> pngs;
    try (Stream<Path> walk = Files.walk(folder)) {
      pngs = walk.filter(p -> p.toString().endsWith(".png")).toList();
    }
    // A plain script's load: read, decode, take the grey bytes; on every core, like the ingest.
    return (int)
        pngs.parallelStream()
            .filter(
                p -> {
                  try {
                    BufferedImage image = ImageIO.read(p.toFile());
                    byte[] grey = new byte[image.getWidth() * image.getHeight()];
                    image
                        .getRaster()
                        .getDataElements(0, 0, image.getWidth(), image.getHeight(), grey);
                    return grey.length == 28 * 28;
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                })
            .count();
  }

  private static void trainEpoch(Trainer trainer, LabeledImages train, int epoch) {
    int n = train.size();
    int per = train.shape().size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(SEED * 31 + epoch);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    byte[] pixels = train.pixels();
    for (int from = 0; from < n; from += BATCH) {
      int size = Math.min(n, from + BATCH) - from;
      float[] x = new float[size * per];
      float[] y = new float[size];
      for (int k = 0; k < size; k++) {
        int src = order[from + k] * per;
        for (int p = 0; p < per; p++) {
          x[k * per + p] = (pixels[src + p] & 0xff) / 127.5f - 1f;
        }
        y[k] = train.label(order[from + k]);
      }
      try (NDManager batch = trainer.getManager().newSubManager()) {
        NDArray images =
            batch.create(
                x,
                new Shape(
                    size, train.shape().channels(), train.shape().height(), train.shape().width()));
        NDArray labels = batch.create(y);
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray logits = trainer.forward(new NDList(images)).singletonOrThrow();
          NDArray loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
          collector.backward(loss);
          if (!Float.isFinite(loss.getFloat())) {
            throw new IllegalStateException("bare loop diverged");
          }
        }
        trainer.step();
      }
    }
  }

  /**
   * CPU time of this process's threads, from {@code /proc/self/task} (Linux; empty elsewhere):
   * where a side's CPU went — the training threads (the torch thread of the worker and the OpenMP
   * threads it started, which inherit its name, or the bare loop's main thread and its OpenMP
   * threads, named {@code java}), the JIT compilers, the garbage collector, and the rest (Temporal,
   * S3, ingest, the client); and the minor page faults of the training threads and of the rest.
   */
  private record ThreadCpu(
      double process,
      Map<String, Double> threads,
      Map<String, Long> faults,
      Map<String, Double> waits) {
    static ThreadCpu now() {
      Map<String, Double> threads = new HashMap<>();
      Map<String, Long> faults = new HashMap<>();
      Map<String, Double> waits = new HashMap<>();
      double process = 0;
      try {
        process = ticks(Files.readString(Path.of("/proc/self/stat")));
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
          for (Path task : (Iterable<Path>) tasks::iterator) {
            try {
              String stat = Files.readString(task.resolve("stat"));
              String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
              threads.put(task.getFileName() + " " + name, ticks(stat));
              faults.put(task.getFileName() + " " + name, minorFaults(stat));
              // schedstat: time on a CPU, time runnable but waiting for one (ns), timeslices
              String[] sched = Files.readString(task.resolve("schedstat")).trim().split(" ");
              waits.put(task.getFileName() + " " + name, Long.parseLong(sched[1]) / 1e9);
            } catch (IOException | RuntimeException e) {
              // the thread ended while we looked
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        return new ThreadCpu(Double.NaN, Map.of(), Map.of(), Map.of());
      }
      return new ThreadCpu(process, threads, faults, waits);
    }

    /** Minor page faults of a stat line. */
    private static long minorFaults(String stat) {
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    }

    /** utime + stime of a stat line, in seconds (USER_HZ is 100 on Linux). */
    private static double ticks(String stat) {
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    String since(ThreadCpu before) {
      if (Double.isNaN(process) || Double.isNaN(before.process)) {
        return "cpu: (no /proc here)";
      }
      double training = 0;
      double jit = 0;
      double gc = 0;
      long trainingFaults = 0;
      long otherFaults = 0;
      double trainingWait = 0;
      Map<String, Double> rest = new HashMap<>();
      for (Map.Entry<String, Double> e : threads.entrySet()) {
        double used = e.getValue() - before.threads.getOrDefault(e.getKey(), 0.0);
        long faulted =
            faults.getOrDefault(e.getKey(), 0L) - before.faults.getOrDefault(e.getKey(), 0L);
        String name = e.getKey().substring(e.getKey().indexOf(' ') + 1);
        if (name.startsWith("tunelab-torch") || name.equals("java")) {
          training += used;
          trainingFaults += faulted;
          trainingWait +=
              waits.getOrDefault(e.getKey(), 0.0) - before.waits.getOrDefault(e.getKey(), 0.0);
          continue;
        }
        otherFaults += faulted;
        if (name.contains("CompilerThre")) {
          jit += used;
        } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
          gc += used;
        } else {
          rest.merge(name.replaceAll("[0-9]+", "#"), used, Double::sum);
        }
      }
      double total = process - before.process;
      double others = total - training - jit - gc;
      StringBuilder groups = new StringBuilder();
      double named = 0;
      for (Map.Entry<String, Double> e :
          rest.entrySet().stream()
              .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
              .limit(8)
              .toList()) {
        if (e.getValue() >= 0.05) {
          groups.append(
              String.format(
                  Locale.ROOT,
                  "%s%s %.2f",
                  groups.length() == 0 ? "" : ", ",
                  e.getKey(),
                  e.getValue()));
          named += e.getValue();
        }
      }
      return String.format(
          Locale.ROOT,
          "cpu: %.2f s in all = training threads %.2f s + JIT "
              + "compilers %.2f s + GC %.2f s + the rest %.2f s (%s; other and ended threads %.2f);"
              + " minor page faults: training threads %,d, the rest %,d; training threads runnable"
              + " but waiting for a CPU %.2f s",
          total,
          training,
          jit,
          gc,
          others,
          groups,
          others - named,
          trainingFaults,
          otherFaults,
          trainingWait);
    }
  }

  private static long millis(Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
