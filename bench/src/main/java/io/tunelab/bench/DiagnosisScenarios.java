package io.tunelab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bench/diagnosis-scenarios.sh}: the scenario suite that judges the findings engine from the
 * outside. It builds Fashion-MNIST datasets that each carry exactly one planted cause (label noise,
 * class imbalance, too high a learning rate, ...), pretrains one source model on classes 0–4, runs
 * {@code tunelab run --wait --json} on every scenario (target classes 5–9) and checks that the
 * report's findings name the planted cause: PASS when the planted code is among the findings (any
 * severity, any arm); for the healthy baseline PASS when no finding is a warning or critical.
 * Everything goes through the CLI's verbs ({@code pretrain}, {@code run}, {@code report}), run in
 * this process against an embedded stack and an in-process worker, so the suite judges whatever
 * findings engine the jar carries.
 *
 * <p>Usage: {@code DiagnosisScenarios [--only NAME[,NAME...]] [--keep] [--home DIR] [--data
 * IDX_DIR] [--list]}. {@code --keep} keeps the home (datasets, bucket, logs) and prints where it
 * is; by default it is a temporary folder, removed at the end. The last line is {@code
 * diagnosis-scenarios: N/M passed}; the exit code is 0 when all passed, 1 otherwise, 2 on bad
 * usage.
 */
public final class DiagnosisScenarios {
  static final String MODEL = "fashion-0-4";
  static final int SOURCE_PER_CLASS = 1000;
  static final long DATA_SEED = 11;

  /** Target classes unless {@code --target} says otherwise. */
  static final int[] DEFAULT_TARGET = ScenarioDatasets.SOURCE;

  /** What every run uses unless its scenario says otherwise: a sane fine-tune. */
  static final Map<String, String> HEALTHY_FLAGS =
      flags(
          "--epochs",
          "10",
          "--early-stopping-patience",
          "3",
          "--batch-size",
          "32",
          "--optimizer",
          "adam",
          "--lr",
          "0.001",
          "--augment",
          "light",
          "--schedule",
          "cosine",
          "--seed",
          "7",
          "--device",
          "cpu");

  /** How a scenario's dataset is made. */
  @FunctionalInterface
  interface DataBuilder {
    ScenarioDatasets.Built build(ScenarioDatasets data, Path dir) throws IOException;
  }

  /**
   * One scenario.
   *
   * @param name the name {@code --only} selects
   * @param planted the finding code it must produce, or {@code null} for the healthy baseline
   * @param what one line on what was planted
   * @param data builds its dataset
   * @param flags run flags that differ from {@link #HEALTHY_FLAGS} (value {@code null}: a switch;
   *     value {@code "-"}: remove the flag)
   */
  record Scenario(
      String name, String planted, String what, DataBuilder data, Map<String, String> flags) {}

  /** A scenario named after the finding it plants, run with the default flags. */
  private static Scenario planted(String code, String what, DataBuilder data) {
    return new Scenario(code, code, what, data, Map.of());
  }

  /** The scenarios, in the order they run. */
  static List<Scenario> scenarios() {
    List<Scenario> all = new ArrayList<>();
    all.add(
        new Scenario(
            "healthy",
            null,
            "300/150/150 per class, clean, adam 1e-3, light augmentation, early stopping",
            (d, dir) -> d.healthy(dir),
            Map.of()));
    all.add(
        new Scenario(
            "healthy-defaults",
            null,
            "the healthy data with tunelab run's defaults (no augmentation, no schedule, patience 4)",
            (d, dir) -> d.healthy(dir),
            flags(
                "--epochs",
                "-",
                "--early-stopping-patience",
                "-",
                "--batch-size",
                "-",
                "--optimizer",
                "-",
                "--lr",
                "-",
                "--augment",
                "-",
                "--schedule",
                "-")));
    all.add(
        planted(
            "label-noise",
            "25% of training labels moved to another class; val and test clean",
            (d, dir) -> d.labelNoise(dir, 0.25, 5)));
    all.add(
        planted(
            "class-imbalance",
            "train 600 per class but 30 for the second class (20x smaller); val and test balanced",
            (d, dir) -> d.imbalance(dir, 600, 30, d.target()[1])));
    all.add(
        new Scenario(
            "lr-too-high",
            "lr-too-high",
            "sgd with --lr 5 (both arms) on the healthy data",
            (d, dir) -> d.healthy(dir),
            flags("--optimizer", "sgd", "--lr", "5", "--epochs", "4")));
    all.add(
        new Scenario(
            "lr-too-high-adam",
            "lr-too-high",
            "adam with --lr 0.05 (both arms, 50x the usual rate) on the healthy data, defaults otherwise",
            (d, dir) -> d.healthy(dir),
            flags(
                "--lr",
                "0.05",
                "--scratch-lr",
                "0.05",
                "--epochs",
                "8",
                "--augment",
                "-",
                "--schedule",
                "-",
                "--early-stopping-patience",
                "-")));
    all.add(
        planted(
            "insufficient-data",
            "5 training images per class; val and test 150 per class",
            (d, dir) -> d.fewTraining(dir, 5)));
    all.add(
        planted(
            "domain-shift",
            "every target image inverted (255 - x): light garments on black",
            (d, dir) -> d.inverted(dir)));
    all.add(
        planted(
            "small-validation-set",
            "3 validation images per class (15 in all); train 300, test 150 per class",
            (d, dir) -> d.smallValidation(dir, 3)));
    all.add(
        planted(
            "train-val-leakage",
            "byte copies of 20% of each class's val images added to train",
            (d, dir) -> d.leakage(dir, 0.20)));
    all.add(
        new Scenario(
            "overfitting",
            "overfitting",
            "60 training images per class, 25 epochs, no early stopping, no augmentation, no dropout",
            (d, dir) -> d.fewTraining(dir, 60),
            unregularised("25", "--head-dropout", "0")));
    all.add(
        new Scenario(
            "low-initial-rising",
            "low-initial-rising-val-loss",
            "60 training images per class of the source model's own classes, its head reused "
                + "(epoch 0 is the pretrained model), batch 8, adam 0.002 with one rate for the "
                + "whole network, 12 epochs, no early stopping, augmentation or schedule: validation "
                + "loss lowest before fine-tuning, then above it",
            (d, dir) -> d.fewTraining(dir, 60),
            unregularised(
                "12",
                "--batch-size",
                "8",
                "--lr",
                "0.002",
                "--backbone-lr-factor",
                "1",
                "--head",
                "reuse")));
    all.add(
        new Scenario(
            "overconfidence",
            "overconfidence",
            "healthy data, 20 epochs, no early stopping, no augmentation, no dropout, one learning "
                + "rate for the whole network, fine-tune only",
            (d, dir) -> d.healthy(dir),
            unregularised(
                "20", "--head-dropout", "0", "--backbone-lr-factor", "1", "--no-scratch", null)));
    return all;
  }

  private final Path home;
  private final PrintWriter out;
  private ScenarioRunner runner;

  private final int[] target;

  DiagnosisScenarios(Path home, PrintWriter out, int[] target) {
    this.home = home;
    this.out = out;
    this.target = target;
  }

  /** Runs the suite; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    Set<String> only = new LinkedHashSet<>();
    boolean keep = false;
    Path home = null;
    Path idx = FashionMnistFolders.DEFAULT_DIR;
    int[] target = DEFAULT_TARGET;
    List<Scenario> scenarios = scenarios();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--only" -> only.addAll(Arrays.asList(value(args, ++i).split(",")));
        case "--keep" -> keep = true;
        case "--home" -> home = Path.of(value(args, ++i));
        case "--data" -> idx = Path.of(value(args, ++i));
        case "--target" -> {
          String t = value(args, ++i);
          if (t.equals("same")) {
            target = ScenarioDatasets.SOURCE;
          } else if (t.equals("other")) {
            target = ScenarioDatasets.OTHER;
          } else {
            usage("--target " + t + ": must be same (classes 0-4) or other (classes 5-9)");
          }
        }
        case "--list" -> {
          scenarios.forEach(
              s ->
                  System.out.printf(
                      Locale.ROOT,
                      "%-22s %-22s %s%n",
                      s.name(),
                      s.planted() == null ? "(none)" : s.planted(),
                      s.what()));
          return;
        }
        default -> usage("unknown argument " + args[i]);
      }
    }
    for (String name : only) {
      if (scenarios.stream().noneMatch(s -> s.name().equals(name))) {
        usage("--only " + name + ": no such scenario (see --list)");
      }
    }
    List<Scenario> chosen =
        scenarios.stream().filter(s -> only.isEmpty() || only.contains(s.name())).toList();
    boolean temporary = home == null;
    if (temporary) {
      home = Files.createTempDirectory("tunelab-scenarios");
    } else if (Files.isDirectory(home)) {
      try (Stream<Path> entries = Files.list(home)) {
        if (entries.findAny().isPresent()) {
          usage("--home " + home + ": not empty (the suite needs a fresh home)");
        }
      }
    } else {
      Files.createDirectories(home);
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    int status;
    try {
      status = new DiagnosisScenarios(home, out, target).run(idx, chosen);
    } finally {
      if (keep || !temporary) {
        out.println(
            "kept TUNELAB_HOME " + home + " (datasets under scenarios/, logs per scenario)");
      } else {
        delete(home);
      }
    }
    System.exit(status);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      usage(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void usage(String message) {
    System.err.println("diagnosis-scenarios: " + message);
    System.err.println(
        "usage: diagnosis-scenarios [--only NAME[,NAME...]] [--keep] [--home DIR]"
            + " [--target same|other] [--data IDX_DIR] [--list]");
    System.exit(2);
  }

  /** One scenario's outcome. */
  record Outcome(
      Scenario scenario, List<String[]> findings, boolean pass, String note, double seconds) {}

  int run(Path idx, List<Scenario> scenarios) throws Exception {
    long t0 = System.nanoTime();
    LabeledImages fashion = FashionMnistFolders.read(idx, true);
    ScenarioDatasets data = new ScenarioDatasets(fashion, DATA_SEED, target);
    Path root = home.resolve("scenarios");
    Path source = data.source(root.resolve("source-0-4"), SOURCE_PER_CLASS);
    Map<String, ScenarioDatasets.Built> built = new LinkedHashMap<>();
    for (Scenario s : scenarios) {
      ScenarioDatasets.Built b = s.data().build(data, root.resolve(s.name()).resolve("data"));
      ScenarioDatasets.writePlanted(b, root.resolve(s.name()).resolve("planted.txt"));
      built.put(s.name(), b);
    }
    out.printf(
        Locale.ROOT,
        "datasets: source classes 0-4 (%d per class) and %d scenarios on "
            + "target classes %s written under %s in %.1f s%n",
        SOURCE_PER_CLASS,
        scenarios.size(),
        data.targetNames(),
        root,
        seconds(t0));

    try (ScenarioRunner r = ScenarioRunner.start(home)) {
      runner = r;
      return scenarios(source, scenarios, built, root, t0);
    }
  }

  private int scenarios(
      Path source,
      List<Scenario> scenarios,
      Map<String, ScenarioDatasets.Built> built,
      Path root,
      long t0)
      throws IOException {
    long p0 = System.nanoTime();
    JsonNode preReport = runner.pretrain(source, MODEL, 4, 7, root.resolve("pretrain.log"));
    if (preReport == null) {
      out.println("pretraining failed; see " + root.resolve("pretrain.log"));
      return 1;
    }
    out.printf(
        Locale.ROOT,
        "pretrained %s: cnn, 4 epochs on classes 0-4, test acc %.4f, in " + "%.1f s%n",
        MODEL,
        ScenarioRunner.pretrainAccuracy(preReport),
        seconds(p0));

    List<Outcome> outcomes = new ArrayList<>();
    for (Scenario s : scenarios) {
      Outcome o = runScenario(s, built.get(s.name()), root.resolve(s.name()));
      outcomes.add(o);
      out.printf(
          Locale.ROOT,
          "%-22s %s  %s (%.0f s)%n",
          s.name(),
          o.pass() ? "PASS" : "FAIL",
          found(o.findings()),
          o.seconds());
    }
    return table(outcomes, seconds(t0));
  }

  private Outcome runScenario(Scenario s, ScenarioDatasets.Built data, Path dir)
      throws IOException {
    String runId = "scenario-" + s.name();
    ScenarioRunner.Finished run =
        runner.run(runId, data.dir(), MODEL, ScenarioRunner.merge(HEALTHY_FLAGS, s.flags()), dir);
    JsonNode report = run.report();
    String note = run.note();
    if (report == null) {
      return new Outcome(
          s,
          List.of(),
          false,
          note + "; no report (see " + dir.resolve("run.log") + ")",
          run.seconds());
    }
    List<String[]> findings = new ArrayList<>();
    for (JsonNode finding : report.path("findings")) {
      findings.add(
          new String[] {
            finding.path("code").asText(),
            finding.path("severity").asText(),
            finding.path("arm").asText()
          });
    }
    boolean pass;
    if (s.planted() == null) {
      pass = findings.stream().noneMatch(x -> x[1].equals("warning") || x[1].equals("critical"));
    } else {
      pass = findings.stream().anyMatch(x -> x[0].equals(s.planted()));
    }
    List<String> notes = new ArrayList<>();
    if (!note.isEmpty()) {
      notes.add(note);
    }
    notes.add(facts(report));
    if (!data.flipped().isEmpty()) {
      notes.add(namedPrecision(report, data));
      notes.add(outOfSampleCheck(runId, data));
    }
    return new Outcome(s, findings, pass, String.join("; ", notes), run.seconds());
  }

  /** The numbers an engine developer wants next to a verdict: accuracies, epochs, comparison. */
  static String facts(JsonNode report) {
    List<String> parts = new ArrayList<>();
    parts.add("status " + report.path("status").asText());
    JsonNode arms = report.path("arms");
    for (String arm : List.of("finetune", "scratch")) {
      JsonNode a = arms.path(arm);
      if (a.isMissingNode() || a.isNull()) {
        continue;
      }
      List<JsonNode> epochs = new ArrayList<>();
      a.path("epochs")
          .forEach(
              e -> {
                if (e.path("epoch").asInt() >= 1) {
                  epochs.add(e);
                }
              });
      StringBuilder b = new StringBuilder(arm);
      if (a.path("test").has("acc")) {
        b.append(String.format(Locale.ROOT, " test %.3f", a.path("test").path("acc").asDouble()));
      }
      b.append(", ")
          .append(epochs.size())
          .append(" epochs, best ")
          .append(a.path("bestEpoch").asText());
      if (!epochs.isEmpty()) {
        JsonNode first = epochs.get(0);
        JsonNode last = epochs.get(epochs.size() - 1);
        // Non-finite losses are written as null (or a string); they take no part in the minimum.
        double min =
            epochs.stream()
                .filter(e -> e.path("valLoss").isNumber())
                .mapToDouble(e -> e.path("valLoss").asDouble())
                .min()
                .orElse(Double.NaN);
        b.append(
            String.format(
                Locale.ROOT,
                ", val loss %s->%s (min %s), val acc %s->%s, train " + "loss %s->%s",
                num(first.path("valLoss")),
                num(last.path("valLoss")),
                fmt(min),
                num(first.path("valAcc")),
                num(last.path("valAcc")),
                num(first.path("trainLoss")),
                num(last.path("trainLoss"))));
      }
      parts.add(b.toString());
    }
    JsonNode c = report.path("comparison");
    if (c.isObject()) {
      parts.add(
          String.format(
              Locale.ROOT,
              "comparison %s (delta %s, p %s)",
              c.path("winner").asText(),
              num(c.path("testAccDelta")),
              num(c.path("pValue"))));
    }
    JsonNode d = report.path("dataset");
    if (d.isObject()) {
      parts.add("duplicatesAcrossSplits " + d.path("duplicatesAcrossSplits").asText());
    }
    return String.join(", ", parts);
  }

  private static final Pattern IMAGE_PATH =
      Pattern.compile("[A-Za-z0-9_./-]+\\.(?:png|jpe?g|bmp|gif)", Pattern.CASE_INSENSITIVE);

  /**
   * Precision of the training images the report names as mislabelled: of the distinct image paths
   * anywhere in the {@code label-noise} findings, how many were really flipped.
   */
  static String namedPrecision(JsonNode report, ScenarioDatasets.Built data) {
    Set<String> named = new LinkedHashSet<>();
    for (JsonNode finding : report.path("findings")) {
      if (!"label-noise".equals(finding.path("code").asText())) {
        continue;
      }
      collectPaths(finding, named);
    }
    if (named.isEmpty()) {
      return "label-noise names no example paths";
    }
    int hits = 0;
    for (String path : named) {
      if (isFlipped(path, data)) {
        hits++;
      }
    }
    return String.format(
        Locale.ROOT,
        "named examples: %d of %d really flipped (precision %.2f; " + "%d flipped in all)",
        hits,
        named.size(),
        hits / (double) named.size(),
        data.flipped().size());
  }

  /** Every image path in any string value of a JSON node. */
  static void collectPaths(JsonNode node, Set<String> into) {
    if (node.isTextual()) {
      Matcher m = IMAGE_PATH.matcher(node.asText());
      while (m.find()) {
        into.add(m.group());
      }
    }
    node.forEach(child -> collectPaths(child, into));
  }

  /** Whether a path as a report names it (relative, absolute or shortened) is a flipped image. */
  static boolean isFlipped(String path, ScenarioDatasets.Built data) {
    if (data.flipped().containsKey(path)) {
      return true;
    }
    for (String flipped : data.flipped().keySet()) {
      if (path.endsWith("/" + flipped) || (path.contains("/") && flipped.endsWith("/" + path))) {
        return true;
      }
    }
    return false;
  }

  /**
   * For information, not for the verdict: what the stored out-of-sample predictions (the pipeline's
   * k-fold probe, {@code runs/<id>/probes/out-of-sample.json}) say on their own: of the training
   * images whose given label is not the predicted one, how many were flipped.
   */
  String outOfSampleCheck(String runId, ScenarioDatasets.Built data) {
    JsonNode oos;
    try {
      oos =
          new ObjectMapper()
              .readTree(runner.store().get("runs/" + runId + "/probes/out-of-sample.json"));
    } catch (RuntimeException | IOException e) {
      return "no out-of-sample predictions stored";
    }
    JsonNode paths = oos.path("paths");
    JsonNode labels = oos.path("labels");
    JsonNode probs = oos.path("probabilities");
    int disagree = 0;
    int disagreeFlipped = 0;
    for (int i = 0; i < paths.size(); i++) {
      JsonNode row = probs.get(i);
      int arg = 0;
      for (int k = 1; k < row.size(); k++) {
        if (row.get(k).asDouble() > row.get(arg).asDouble()) {
          arg = k;
        }
      }
      if (arg != labels.get(i).asInt()) {
        disagree++;
        if (isFlipped(paths.get(i).asText(), data)) {
          disagreeFlipped++;
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "out-of-sample probe alone: %d of %d training images "
            + "predicted as another class, %d of them flipped (precision %.2f, recall %.2f)",
        disagree,
        paths.size(),
        disagreeFlipped,
        disagree == 0 ? 0.0 : disagreeFlipped / (double) disagree,
        disagreeFlipped / (double) Math.max(1, data.flipped().size()));
  }

  private int table(List<Outcome> outcomes, double seconds) {
    out.println();
    out.printf(
        Locale.ROOT,
        "%-22s %-22s %-6s %s%n",
        "scenario",
        "planted",
        "result",
        "findings (code:severity:arm)");
    int passed = 0;
    for (Outcome o : outcomes) {
      passed += o.pass() ? 1 : 0;
      out.printf(
          Locale.ROOT,
          "%-22s %-22s %-6s %s%n",
          o.scenario().name(),
          o.scenario().planted() == null ? "(none: healthy)" : o.scenario().planted(),
          o.pass() ? "PASS" : "FAIL",
          found(o.findings()));
    }
    out.println();
    for (Outcome o : outcomes) {
      out.printf(Locale.ROOT, "%s (%.0f s): %s%n", o.scenario().name(), o.seconds(), o.note());
    }
    out.printf(Locale.ROOT, "suite time %.0f s%n", seconds);
    out.printf(Locale.ROOT, "diagnosis-scenarios: %d/%d passed%n", passed, outcomes.size());
    out.flush();
    return passed == outcomes.size() ? 0 : 1;
  }

  static String found(List<String[]> findings) {
    if (findings.isEmpty()) {
      return "(no findings)";
    }
    List<String> parts = new ArrayList<>();
    for (String[] f : findings) {
      parts.add(f[0] + ":" + f[1] + (f[2].isEmpty() ? "" : ":" + f[2]));
    }
    return String.join(", ", parts);
  }

  private static String num(JsonNode n) {
    return n.isNumber() ? fmt(n.asDouble()) : n.isNull() || n.isMissingNode() ? "null" : n.asText();
  }

  private static String fmt(double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3f", x) : Double.toString(x);
  }

  /**
   * Flags for a run of {@code epochs} epochs without early stopping, augmentation or a schedule,
   * then {@code more}. The healthy flags fix where these go on the command line, so their order
   * here does not matter.
   */
  static Map<String, String> unregularised(String epochs, String... more) {
    Map<String, String> m =
        flags(
            "--epochs",
            epochs,
            "--early-stopping-patience",
            "0",
            "--augment",
            "none",
            "--schedule",
            "none");
    m.putAll(flags(more));
    return m;
  }

  private static Map<String, String> flags(String... kv) {
    return ScenarioRunner.flags(kv);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
