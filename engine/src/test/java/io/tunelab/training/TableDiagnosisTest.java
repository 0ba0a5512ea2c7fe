package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.DatasetIngest;
import io.tunelab.dataset.Ingestor;
import io.tunelab.dataset.ShardCache;
import io.tunelab.diagnosis.Diagnoser;
import io.tunelab.diagnosis.EvidenceReader;
import io.tunelab.report.ReportBuilder;
import io.tunelab.report.ReportRenderer;
import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.Json;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.ProbeTask;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diagnosis of tables, end to end without Temporal: generated CSVs (three informative features
 * decide the class, the rest are noise) are ingested as the worker ingests them, an mlp pretrained
 * on another table of the same columns is fine-tuned beside a scratch arm epoch by epoch ({@link
 * ArmEpochs}, which stores each epoch's validation predictions), the probes run ({@link
 * ProbeEvidence}, out-of-sample predictions included) and the {@link Diagnoser} reads it all back
 * from the bucket ({@link EvidenceReader}). A planted overfitting (few rows, a wide layer, many
 * epochs, no regularisation) is named {@code overfitting}; planted label noise (a quarter of the
 * training labels flipped) is named {@code label-noise}, its suspects named as {@code
 * train.csv:LINE} rows that were flipped and listed as rows in the HTML report; a clean table
 * raises neither; a leaked row is {@code train-val-leakage}, named by its lines.
 */
@Tag("integration")
class TableDiagnosisTest {
  /** Informative features f0..f2 and noise features f3..f11. */
  private static final int FEATURES = 12;

  private static final List<Integer> HIDDEN = List.of(128);
  private static final Pattern TRAIN_ROW = Pattern.compile("train\\.csv:(\\d+)");

  @TempDir static Path home;
  private static InMemoryObjectStore store;
  private static ShardCache shards;
  private static ArmEpochs epochs;
  private static ProbeEvidence probes;
  private static final Map<Long, ModelInfo> pretrained = new HashMap<>();

  @BeforeAll
  static void start() {
    store = new InMemoryObjectStore();
    shards = new ShardCache(store, 16);
    EpochTrainer trainer = new EpochTrainer();
    epochs =
        new ArmEpochs(
            store,
            shards,
            trainer,
            TorchThread.shared(),
            new LiveModels(LiveModels.DEFAULT_CAPACITY),
            Duration.ofSeconds(1));
    probes = new ProbeEvidence(store, shards, new Probes(trainer), TorchThread.shared());
  }

  /**
   * A planted table: {@code train}, {@code val} and {@code test} rows, a fraction {@code flipped}
   * of the training labels flipped (val and test stay clean), and, when {@code leak}, the first
   * training row's features repeated as the last validation row.
   */
  record Plant(int train, int val, int test, double flipped, boolean leak) {}

  /**
   * A run's recipe.
   *
   * @param epochs epochs of both arms
   * @param batch batch size
   */
  record Recipe(int epochs, int batch) {}

  /** What a diagnosed run left behind. */
  record Diagnosed(RunState state, List<Finding> findings, Set<Integer> flippedLines) {
    DatasetRef data() {
      return state.dataset();
    }

    Finding finding(String code) {
      return findings.stream().filter(f -> f.code().equals(code)).findFirst().orElse(null);
    }

    boolean names(String code) {
      return finding(code) != null;
    }

    List<String> codes() {
      return findings.stream().map(Finding::code).toList();
    }
  }

  /** Planted overfitting: 60 training rows for 12 features, 128 units, 30 epochs, nothing else. */
  static final Plant FEW_ROWS = new Plant(40, 300, 100, 0, false);

  static final Recipe LONG = new Recipe(30, 4);

  /** Planted label noise: 500 training rows, a quarter of their labels flipped. */
  static final Plant NOISY = new Plant(500, 200, 100, 0.25, false);

  /** The same table clean, with one leaked row. */
  static final Plant CLEAN = new Plant(500, 200, 100, 0, true);

  static final Recipe SHORT = new Recipe(6, 32);

  @Test
  void plantedOverfittingIsNamedOverfitting() throws Exception {
    Diagnosed run = diagnose("overfit", FEW_ROWS, LONG, 1);
    Finding f = run.finding("overfitting");
    assertNotNull(f, "findings: " + run.findings());
    assertTrue(f.evidence().contains("per-row validation losses"), f.evidence());
    assertFalse(f.evidence().contains("image"), f.evidence());
    assertTrue(f.recommendation().contains("training rows"), f.recommendation());
    assertTrue(f.recommendation().contains("--dropout"), f.recommendation());
    assertFalse(f.recommendation().contains("--augment"), f.recommendation());
  }

  @Test
  void plantedLabelNoiseIsNamedWithTheFlippedRowsAsSuspects() throws Exception {
    Diagnosed run = diagnose("noisy", NOISY, SHORT, 1);
    Finding f = run.finding("label-noise");
    assertNotNull(f, "findings: " + run.findings());
    assertEquals("A substantial fraction of training rows look mislabelled", f.title());
    assertTrue(f.evidence().contains(" training rows ("), f.evidence());
    assertFalse(f.evidence().contains("image"), f.evidence());
    List<Integer> named = namedRows(f);
    assertTrue(named.size() >= 3, "suspects named as train.csv:LINE: " + f.evidence());
    long flipped = named.stream().filter(run.flippedLines()::contains).count();
    // A quarter of the rows were flipped: chance would name about a quarter of them.
    assertTrue(flipped >= 0.8 * named.size(), flipped + " of " + named + " were flipped");

    // The HTML report lists the suspected rows, not image tiles.
    JsonNode report =
        new ReportBuilder().build(run.state(), Json.tree(store.get(run.data().profileKey())));
    String html = new ReportRenderer().html(report, TableDiagnosisTest::object);
    assertTrue(html.contains("<h2>Rows that look mislabelled</h2>"), "the rows' section");
    assertFalse(html.contains("mislabelled-grid"), "no image tiles");
    assertFalse(html.contains("are left out"), "the rows are there");
    String first = "<tr><td><code>train.csv:" + named.get(0) + "</code></td>";
    assertTrue(html.contains(first), "the first suspect's row: " + first);
  }

  @Test
  void aCleanTableRaisesNeitherAndItsLeakedRowIsNamed() throws Exception {
    Diagnosed run = diagnose("clean", CLEAN, SHORT, 1);
    assertFalse(run.names("overfitting"), "findings: " + run.findings());
    assertFalse(run.names("label-noise"), "findings: " + run.findings());
    assertEquals(1, run.data().duplicatesAcrossSplits());
    Finding leak = run.finding("train-val-leakage");
    assertNotNull(leak, "findings: " + run.findings());
    assertEquals("critical", leak.severity());
    assertEquals("Identical rows appear in more than one split", leak.title());
    assertTrue(leak.evidence().startsWith("1 val/test rows are exact copies"), leak.evidence());
    assertTrue(leak.evidence().contains("train:train.csv:2 = val:val.csv:"), leak.evidence());
    JsonNode report =
        new ReportBuilder().build(run.state(), Json.tree(store.get(run.data().profileKey())));
    assertEquals(1, report.path("dataset").path("duplicatesAcrossSplits").asInt(), "the report");
  }

  /**
   * Precision and recall of {@code overfitting} and {@code label-noise} over seeds of each planted
   * table and the clean one; a measurement, run by hand with {@code -Dtunelab.bench.tables=true}
   * (and {@code -Dtunelab.bench.seeds=N}, 3 by default), that prints the findings of every run.
   */
  @Test
  @EnabledIfSystemProperty(named = "tunelab.bench.tables", matches = "true")
  void precisionAndRecallOverSeeds() throws Exception {
    Map<String, int[]> counts = new LinkedHashMap<>(); // code -> {tp, fp, fn}
    counts.put("overfitting", new int[3]);
    counts.put("label-noise", new int[3]);
    long seeds = Long.getLong("tunelab.bench.seeds", 3);
    for (long seed = 11; seed < 11 + seeds; seed++) {
      Object[][] runs = {
        {"overfit", FEW_ROWS, LONG, "overfitting"},
        {"noisy", NOISY, SHORT, "label-noise"},
        {"clean", CLEAN, SHORT, null},
      };
      if (System.getProperty("tunelab.bench.only") != null) {
        runs = new Object[][] {runs[Integer.parseInt(System.getProperty("tunelab.bench.only"))]};
      }
      for (Object[] r : runs) {
        long t0 = System.nanoTime();
        Diagnosed run = diagnose(r[0] + "-" + seed, (Plant) r[1], (Recipe) r[2], seed);
        Finding noise = run.finding("label-noise");
        List<Integer> suspects = noise == null ? List.of() : namedRows(noise);
        System.out.printf(
            Locale.ROOT,
            "bench %s seed %d (%.1f s): %s; %d of %d named suspects flipped%n",
            r[0],
            seed,
            (System.nanoTime() - t0) / 1e9,
            run.codes(),
            suspects.stream().filter(run.flippedLines()::contains).count(),
            suspects.size());
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
          boolean planted = e.getKey().equals(r[3]);
          boolean named = run.names(e.getKey());
          if (named) {
            e.getValue()[planted ? 0 : 1]++;
          } else if (planted) {
            e.getValue()[2]++;
          }
        }
      }
    }
    counts.forEach(
        (code, c) ->
            System.out.printf(
                Locale.ROOT,
                "bench %s: %d true positives, %d false positives, %d missed%n",
                code,
                c[0],
                c[1],
                c[2]));
  }

  /** The training rows' lines a finding's evidence names, in order. */
  private static List<Integer> namedRows(Finding f) {
    List<Integer> lines = new ArrayList<>();
    Matcher m = TRAIN_ROW.matcher(f.evidence());
    while (m.find()) {
      lines.add(Integer.parseInt(m.group(1)));
    }
    return lines;
  }

  /** Plants, ingests, trains both arms, probes and diagnoses a table. */
  private static Diagnosed diagnose(String name, Plant plant, Recipe recipe, long seed)
      throws IOException {
    ModelInfo model = pretrained(seed);
    Path folder = home.resolve(name);
    Random random = new Random(seed * 31 + name.hashCode());
    List<String> train = rows(plant.train(), random);
    Set<Integer> flippedLines = new HashSet<>();
    for (int i = 0; i < train.size(); i++) {
      if (random.nextDouble() < plant.flipped()) {
        String row = train.get(i);
        train.set(
            i, row.endsWith(",a") ? row.replaceAll(",a$", ",b") : row.replaceAll(",b$", ",a"));
        flippedLines.add(i + 2);
      }
    }
    List<String> val = rows(plant.val(), random);
    if (plant.leak()) {
      val.add(train.get(0));
    }
    write(folder.resolve("train.csv"), train);
    write(folder.resolve("val.csv"), val);
    write(folder.resolve("test.csv"), rows(plant.test(), random));
    DatasetRef data = ingest(folder.toString());

    TrainingParams params = params(recipe, seed);
    ArmSpec finetune =
        new ArmSpec(name, Arm.FINETUNE, "mlp", params, model.parametersKey(), 2, null, null);
    ArmSpec scratch = new ArmSpec(name, Arm.SCRATCH, "mlp", params, null, 0, null, null);
    Map<String, ArmResult> arms = new LinkedHashMap<>();
    ArmResult tuned = train(finetune, data, recipe.epochs());
    arms.put("finetune", tuned);
    arms.put("scratch", train(scratch, data, recipe.epochs()));
    probes.probe(new ProbeTask(finetune, data, model, tuned.bestCheckpointKey()), p -> {});
    RunState state =
        new RunState(
            name,
            "experiment",
            RunStatus.COMPLETED,
            "done",
            data,
            arms,
            null,
            List.of(),
            null,
            null,
            null,
            null);
    List<Finding> findings = new Diagnoser().diagnose(new EvidenceReader(store).read(state));
    for (ArmResult a : arms.values()) {
      System.out.println(
          name
              + " "
              + a.arm().wire()
              + " val loss: "
              + a.epochs().stream()
                  .map(m -> String.format(Locale.ROOT, "%.3f", m.valLoss()))
                  .toList());
    }
    for (Finding f : findings) {
      System.out.println(name + ": " + f.code() + " (" + f.arm() + "): " + f.evidence());
    }
    RunState diagnosed =
        new RunState(
            name,
            "experiment",
            RunStatus.COMPLETED,
            "done",
            data,
            arms,
            null,
            findings,
            null,
            null,
            null,
            null);
    return new Diagnosed(diagnosed, findings, flippedLines);
  }

  /** An mlp trained on a source table of the same columns and rule, one per seed. */
  private static ModelInfo pretrained(long seed) throws IOException {
    ModelInfo known = pretrained.get(seed);
    if (known != null) {
      return known;
    }
    Random random = new Random(seed);
    Path folder = home.resolve("source-" + seed);
    write(folder.resolve("train.csv"), rows(400, random));
    write(folder.resolve("val.csv"), rows(100, random));
    write(folder.resolve("test.csv"), rows(100, random));
    DatasetRef data = ingest(folder.toString());
    String run = "source-" + seed;
    ArmSpec arm =
        new ArmSpec(run, Arm.SCRATCH, "mlp", params(new Recipe(5, 32), seed), null, 0, null, null);
    ArmResult result = train(arm, data, 5);
    ModelInfo model =
        new ModelInfo(
            run,
            1,
            "mlp",
            data.shape(),
            data.classes(),
            result.lastCheckpointKey(),
            null,
            0,
            run,
            List.of());
    pretrained.put(seed, model);
    return model;
  }

  /** Adam at 0.01 on the mlp of {@link #HIDDEN}, no dropout, L2, early stopping or schedule. */
  private static TrainingParams params(Recipe recipe, long seed) {
    return TrainingParams.builder()
        .epochs(recipe.epochs())
        .batchSize(recipe.batch())
        .learningRate(0.01)
        .optimizer(Optimizer.ADAM)
        .seed(seed)
        .device(Device.CPU)
        .hidden(HIDDEN)
        .build();
  }

  /** Trains an arm epoch by epoch as the workflow does, at a constant rate. */
  private static ArmResult train(ArmSpec arm, DatasetRef data, int n) {
    List<EpochMetrics> metrics = new ArrayList<>();
    String previous = null;
    String best = null;
    int bestEpoch = 0;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (int epoch = 1; epoch <= n; epoch++) {
      EpochResult r =
          epochs.train(
              new EpochTask(arm, data, epoch, arm.params().learningRate(), previous, best),
              1,
              p -> {});
      assertFalse(r.metrics().diverged(), arm.runId() + " epoch " + epoch);
      metrics.add(r.metrics());
      previous = r.checkpointKey();
      if (r.metrics().valLoss() < bestLoss) {
        bestLoss = r.metrics().valLoss();
        bestEpoch = epoch;
        best = r.checkpointKey();
      }
    }
    return new ArmResult(
        arm.arm(),
        RunStatus.COMPLETED,
        metrics,
        bestEpoch,
        best,
        previous,
        false,
        null,
        null,
        null,
        List.of());
  }

  /** An object of the bucket, or {@code null} when there is none. */
  private static byte[] object(String key) {
    try {
      return store.get(key);
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }

  private static DatasetRef ingest(String source) {
    DatasetIngest ingest = new DatasetIngest(store, new Ingestor(1), shards, (t, a, s) -> null);
    return ingest.ingest(
        new IngestRequest(
            source,
            List.of(),
            0,
            7,
            SampleShape.table(FEATURES),
            false,
            null,
            null,
            List.of(),
            null,
            List.of()),
        p -> {});
  }

  /**
   * {@code n} rows {@code f0..f11,label}: the features standard normal draws on different scales
   * and offsets, the label {@code b} when {@code z0 + z1 - z2 > 0}, else {@code a}.
   */
  private static List<String> rows(int n, Random random) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder line = new StringBuilder();
      double[] z = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        z[j] = random.nextGaussian();
        line.append(String.format(Locale.ROOT, "%.5f,", z[j] * (1 + 3 * j) + 10 * j));
      }
      lines.add(line.append(z[0] + z[1] - z[2] > 0 ? "b" : "a").toString());
    }
    return lines;
  }

  private static void write(Path file, List<String> rows) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder header = new StringBuilder();
    for (int j = 0; j < FEATURES; j++) {
      header.append("f").append(j).append(',');
    }
    List<String> all = new ArrayList<>();
    all.add(header.append("label").toString());
    all.addAll(rows);
    Files.write(file, all);
  }
}
