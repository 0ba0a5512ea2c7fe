package io.tunelab.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.Json;
import io.tunelab.storage.ObjectStore;
import io.tunelab.training.OneDnnGuard;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code bench/table-overhead.sh}: what durability costs on a table, whose epochs take
 * milliseconds. Side by side on an embedded stack in this process with one worker: {@code tunelab
 * run --no-scratch --no-probes} of {@code epochs} epochs on a generated {@code rows}-row,
 * 10-feature CSV (fine-tuning an mlp pretrained on a related table), timed from its workflow's
 * first history event to its last; and a bare DJL loop in this process — read the CSV, split,
 * standardise with the training split's statistics, train the same network (dense 128 with ReLU,
 * the output layer) with the same optimiser, batch and epochs, validate every epoch, evaluate on
 * the test split — timed from reading the CSV to the test accuracy.
 *
 * <p>Set-up (not timed): the two CSVs, the stack and worker, {@code tsrc} pretrained for 5 epochs
 * on the source table, and one untimed round of both sides (the JIT, and the run's stored ingest
 * that every later run of the same file reuses). Then {@code rounds} rounds alternating which side
 * goes first. The run's history is split into its training activities and the rest, for
 * information.
 *
 * <p>Usage: {@code TableOverheadBenchmark [epochs=50] [rows=500] [rounds=3]}.
 */
public final class TableOverheadBenchmark {
  private static final int FEATURES = 10;
  private static final int BATCH = 32;
  private static final double LR = 0.001;
  private static final long SEED = 42;

  private final List<String> connection;
  private final WorkflowClient client;

  private TableOverheadBenchmark(List<String> connection, WorkflowClient client) {
    this.connection = connection;
    this.client = client;
  }

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    OneDnnGuard.apply();
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path home = Files.createTempDirectory("tunelab-table-bench");
    int status;
    try {
      status = run(home, epochs, rows, rounds);
    } finally {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(status);
  }

  private static int run(Path home, int epochs, int rows, int rounds) throws Exception {
    Path source = table(home.resolve("source.csv"), rows, 3, 1);
    Path target = table(home.resolve("target.csv"), rows, 2, 2);
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
        System.out.printf(
            Locale.ROOT, "set-up: embedded stack and one worker up in %.1f s%n", seconds(t0));
        return new TableOverheadBenchmark(BenchStack.flags(home, stack), client)
            .rounds(source, target, epochs, rows, rounds);
      } finally {
        stubs.shutdownNow();
      }
    }
  }

  private int rounds(Path source, Path target, int epochs, int rows, int rounds) throws Exception {
    long p0 = System.nanoTime();
    BenchStack.Verb pretrained =
        BenchStack.run(
            connection,
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "tsrc",
            "--model",
            "mlp",
            "--epochs",
            "5",
            "--batch-size",
            String.valueOf(BATCH),
            "--wait");
    if (pretrained.code() != 0) {
      System.out.println("pretrain failed: " + pretrained.err());
      return 1;
    }
    System.out.printf(
        Locale.ROOT,
        "set-up: pretrained 'tsrc' (mlp 128, 5 epochs on a %d-row 3-class table) in %.1f s%n",
        rows,
        seconds(p0));
    System.out.printf(
        Locale.ROOT,
        "workload: %d rows x %d features (5 informative), 2 classes, %d epochs, batch %d, adam lr"
            + " %s, fine-tune only, cpu%n",
        rows,
        FEATURES,
        epochs,
        BATCH,
        LR);
    double tunelabSum = 0;
    double bareSum = 0;
    int[] sizes = null;
    for (int round = 0; round <= rounds; round++) {
      boolean bareFirst = round % 2 == 0 && sizes != null;
      System.out.println(
          round == 0
              ? "--- warm-up round (not timed)"
              : "--- round " + round + (bareFirst ? " (bare loop first)" : ""));
      double bare = bareFirst ? bare(target, sizes, epochs) : 0;
      String runId = "tbl-" + round;
      long r0 = System.nanoTime();
      BenchStack.Verb run =
          BenchStack.run(
              connection,
              "run",
              "--data",
              target.toString(),
              "--pretrained",
              "tsrc",
              "--epochs",
              String.valueOf(epochs),
              "--early-stopping-patience",
              "0",
              "--batch-size",
              String.valueOf(BATCH),
              "--lr",
              String.valueOf(LR),
              "--optimizer",
              "adam",
              "--no-scratch",
              "--no-probes",
              "--name",
              runId,
              "--wait",
              "--json");
      double verb = seconds(r0);
      JsonNode report = run.code() == 0 ? Json.tree(run.out().getBytes()) : null;
      if (report == null || !"COMPLETED".equals(report.path("status").asText())) {
        System.out.println("tunelab run " + runId + " failed: " + run.err());
        return 1;
      }
      double workflow = split(runId, report);
      System.out.printf(
          Locale.ROOT,
          "tunelab: workflow %.2f s (the verb %.2f s); %d epochs, test acc %.4f%n",
          workflow,
          verb,
          report.path("arms").path("finetune").path("epochs").size(),
          report.path("arms").path("finetune").path("test").path("acc").asDouble());
      if (sizes == null) {
        JsonNode splits = report.path("dataset").path("splits");
        sizes = new int[] {count(splits.path("train")), count(splits.path("val"))};
      }
      if (!bareFirst) {
        bare = bare(target, sizes, epochs);
      }
      if (round > 0) {
        tunelabSum += workflow;
        bareSum += bare;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "total over %d rounds: tunelab workflows %.2f s, bare loops %.2f s%n",
        rounds,
        tunelabSum,
        bareSum);
    System.out.printf(Locale.ROOT, "table-overhead: ratio %.2f%n", tunelabSum / bareSum);
    return 0;
  }

  /**
   * Prints where the workflow's time went (its training activities and the rest, from its history)
   * and returns its span in seconds.
   */
  private double split(String runId, JsonNode report) {
    List<HistoryEvent> events = client.fetchHistory(runId).getEvents();
    Map<Long, String> typeById = new HashMap<>();
    Map<Long, Long> startedAt = new HashMap<>();
    Map<String, double[]> byType = new HashMap<>();
    long first = millis(events.get(0).getEventTime());
    long last = millis(events.get(events.size() - 1).getEventTime());
    for (HistoryEvent e : events) {
      long at = millis(e.getEventTime());
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        typeById.put(
            e.getEventId(),
            e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        startedAt.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), at);
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        long id = e.getActivityTaskCompletedEventAttributes().getScheduledEventId();
        double[] sum = byType.computeIfAbsent(typeById.get(id), k -> new double[2]);
        sum[0]++;
        sum[1] += (at - startedAt.get(id)) / 1e3;
      }
    }
    double inside = 0;
    for (JsonNode e : report.path("arms").path("finetune").path("epochs")) {
      inside += e.path("seconds").asDouble();
    }
    StringBuilder activities = new StringBuilder();
    byType.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                activities.append(
                    String.format(
                        Locale.ROOT,
                        "%s%s x%.0f %.2f s",
                        activities.length() == 0 ? "" : ", ",
                        e.getKey(),
                        e.getValue()[0],
                        e.getValue()[1])));
    System.out.printf(
        Locale.ROOT,
        "  history %.2f s: activities %s; epochs' own training and validation %.2f s%n",
        (last - first) / 1e3,
        activities,
        inside);
    return (last - first) / 1e3;
  }

  /** The bare loop: read, split, standardise, train, validate each epoch, test. */
  private static double bare(Path csv, int[] sizes, int epochs) throws IOException {
    long start = System.nanoTime();
    List<float[]> features = new ArrayList<>();
    List<Float> labels = new ArrayList<>();
    Map<String, Integer> classes = new HashMap<>();
    try (Reader in = Files.newBufferedReader(csv)) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().get().parse(in)) {
        float[] x = new float[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
          x[j] = Float.parseFloat(r.get(j));
        }
        features.add(x);
        labels.add((float) classes.computeIfAbsent(r.get(FEATURES), k -> classes.size()));
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new Random(SEED));
    int[] train = order.subList(0, sizes[0]).stream().mapToInt(Integer::intValue).toArray();
    int[] val =
        order.subList(sizes[0], sizes[0] + sizes[1]).stream().mapToInt(Integer::intValue).toArray();
    int[] test =
        order.subList(sizes[0] + sizes[1], order.size()).stream()
            .mapToInt(Integer::intValue)
            .toArray();
    float[] mean = new float[FEATURES];
    float[] sd = new float[FEATURES];
    for (int i : train) {
      for (int j = 0; j < FEATURES; j++) {
        mean[j] += features.get(i)[j] / train.length;
      }
    }
    for (int i : train) {
      for (int j = 0; j < FEATURES; j++) {
        float d = features.get(i)[j] - mean[j];
        sd[j] += d * d / train.length;
      }
    }
    for (int j = 0; j < FEATURES; j++) {
      sd[j] = sd[j] > 0 ? (float) Math.sqrt(sd[j]) : 1f;
    }
    for (float[] x : features) {
      for (int j = 0; j < FEATURES; j++) {
        x[j] = (x[j] - mean[j]) / sd[j];
      }
    }
    Engine.getInstance().setRandomSeed(7);
    SequentialBlock block =
        new SequentialBlock()
            .add(Linear.builder().setUnits(128).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(classes.size()).build());
    double valAcc = 0;
    double testAcc;
    try (Model model = Model.newInstance("bench-bare", Device.cpu())) {
      model.setBlock(block);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(
                  Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) LR)).build())
              .optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(1, FEATURES));
        for (int epoch = 1; epoch <= epochs; epoch++) {
          Random random = new Random(SEED * 31 + epoch);
          int[] shuffled = train.clone();
          for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
          }
          for (int from = 0; from < shuffled.length; from += BATCH) {
            int[] batch =
                java.util.Arrays.copyOfRange(
                    shuffled, from, Math.min(shuffled.length, from + BATCH));
            try (NDManager m = trainer.getManager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
              NDList x = new NDList(rows(m, features, batch));
              NDArray y = m.create(pick(labels, batch));
              NDArray loss = trainer.getLoss().evaluate(new NDList(y), trainer.forward(x));
              collector.backward(loss);
            }
            trainer.step();
          }
          valAcc = accuracy(trainer, features, labels, val);
        }
        testAcc = accuracy(trainer, features, labels, test);
      }
    }
    double total = seconds(start);
    System.out.printf(
        Locale.ROOT,
        "bare: %.2f s (train %d, val %d, test %d rows; last val acc %.4f, test acc %.4f)%n",
        total,
        train.length,
        val.length,
        test.length,
        valAcc,
        testAcc);
    return total;
  }

  private static NDArray rows(NDManager m, List<float[]> features, int[] index) {
    float[] x = new float[index.length * FEATURES];
    for (int k = 0; k < index.length; k++) {
      System.arraycopy(features.get(index[k]), 0, x, k * FEATURES, FEATURES);
    }
    return m.create(x, new Shape(index.length, FEATURES));
  }

  private static float[] pick(List<Float> labels, int[] index) {
    float[] y = new float[index.length];
    for (int k = 0; k < index.length; k++) {
      y[k] = labels.get(index[k]);
    }
    return y;
  }

  /** Validation as a loop does it: the loss and accuracy of the split in one forward pass. */
  private static double accuracy(
      Trainer trainer, List<float[]> features, List<Float> labels, int[] split) {
    try (NDManager m = trainer.getManager().newSubManager()) {
      NDArray logits = trainer.evaluate(new NDList(rows(m, features, split))).singletonOrThrow();
      NDArray y = m.create(pick(labels, split));
      trainer.getLoss().evaluate(new NDList(y), new NDList(logits)).getFloat();
      return logits
              .argMax(1)
              .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
              .eq(y)
              .sum()
              .getLong()
          / (double) split.length;
    }
  }

  /**
   * Writes {@code rows} rows of 10 features, 5 informative on different scales and 5 noise, the
   * class decided by a linear rule of the informative ones ({@code classes} 2 or 3).
   */
  static Path table(Path file, int rows, int classes, long seed) throws IOException {
    Random random = new Random(seed);
    StringBuilder out = new StringBuilder();
    for (int j = 0; j < FEATURES; j++) {
      out.append(j < 5 ? "x" + j : "noise" + (j - 5)).append(',');
    }
    out.append("label\n");
    for (int i = 0; i < rows; i++) {
      double[] z = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        z[j] = random.nextGaussian();
        out.append(String.format(Locale.ROOT, "%.4f,", z[j] * (1 + 3 * j) + 5 * j));
      }
      double a = z[0] + 0.8 * z[1] - 0.6 * z[2];
      double b = z[3] - z[4] + 0.5 * z[0];
      String label =
          classes == 2 ? (a > 0 ? "yes" : "no") : (a > 0.5 ? "hi" : b > 0 ? "mid" : "lo");
      out.append(label).append('\n');
    }
    Files.writeString(file, out);
    return file;
  }

  private static int count(JsonNode perClass) {
    int n = 0;
    for (JsonNode c : perClass) {
      n += c.asInt();
    }
    return n;
  }

  private static long millis(Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
