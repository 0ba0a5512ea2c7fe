package io.tunelab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code bench/diagnosis-harness.sh}: measures the findings engine. Every case of {@link
 * HarnessCases} (one planted cause, two at once, or none) runs on every selected dataset ({@link
 * HarnessDataset}: Fashion-MNIST and scikit-learn's digits) at every seed (the seed draws the data
 * and is the runs' {@code --seed}), through the CLI's verbs on an embedded stack ({@link
 * ScenarioRunner}); the findings of each report are scored per code ({@link FindingScore}):
 * precision and recall counting warnings and criticals, and counting any severity; then the false
 * warnings on clean cases are listed.
 *
 * <p>Usage: {@code DiagnosisHarness [--only CASE,...] [--seeds 1,2,3] [--datasets fashion,digits]
 * [--keep] [--home DIR] [--fashion IDX_DIR] [--digits CSV_GZ] [--list]}, or {@code DiagnosisHarness
 * --rejudge HOME [--only ...]}: scores a kept home's runs again with this jar's findings engine and
 * case list, without training. The last line is {@code diagnosis-harness: N cases, worst precision
 * X (code), worst recall Y (code), Z false warnings on clean cases}; exit 0 unless the usage is
 * wrong (2) or nothing ran (1).
 */
public final class DiagnosisHarness {
  /** The runs' record in a home: one tab-separated line per case run, read by the rejudge. */
  static final String CASES_FILE = "harness/cases.tsv";

  private static final List<Long> DEFAULT_SEEDS = List.of(1L, 2L, 3L);

  /** One case run: what ran, where, its findings and its wall time. */
  record CaseRun(
      HarnessCase kase,
      String dataset,
      long seed,
      String runId,
      List<HarnessFinding> findings,
      double seconds,
      String note) {}

  private final PrintWriter out;

  DiagnosisHarness(PrintWriter out) {
    this.out = out;
  }

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    Set<String> only = new LinkedHashSet<>();
    List<Long> seeds = DEFAULT_SEEDS;
    List<String> datasets = List.of(HarnessDataset.FASHION, HarnessDataset.DIGITS);
    boolean keep = false;
    Path home = null;
    Path rejudge = null;
    Path fashion = FashionMnistFolders.DEFAULT_DIR;
    Path digits = DigitsImages.DEFAULT_FILE;
    List<HarnessCase> cases = HarnessCases.all();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--only" -> only.addAll(Arrays.asList(value(args, ++i).split(",")));
        case "--seeds" -> seeds = parseSeeds(value(args, ++i));
        case "--datasets" -> datasets = parseDatasets(value(args, ++i));
        case "--keep" -> keep = true;
        case "--home" -> home = Path.of(value(args, ++i));
        case "--rejudge" -> rejudge = Path.of(value(args, ++i));
        case "--fashion" -> fashion = Path.of(value(args, ++i));
        case "--digits" -> digits = Path.of(value(args, ++i));
        case "--list" -> {
          list(cases);
          return;
        }
        default -> usage("unknown argument " + args[i]);
      }
    }
    for (String name : only) {
      if (cases.stream().noneMatch(c -> c.name().equals(name))) {
        usage("--only " + name + ": no such case (see --list)");
      }
    }
    List<HarnessCase> chosen =
        cases.stream().filter(c -> only.isEmpty() || only.contains(c.name())).toList();
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    if (rejudge != null) {
      System.exit(new DiagnosisHarness(out).rejudge(rejudge, chosen));
    }
    boolean temporary = home == null;
    if (temporary) {
      home = Files.createTempDirectory("tunelab-harness");
    } else if (Files.isDirectory(home)) {
      try (Stream<Path> entries = Files.list(home)) {
        if (entries.findAny().isPresent()) {
          usage("--home " + home + ": not empty (the harness needs a fresh home)");
        }
      }
    } else {
      Files.createDirectories(home);
    }
    int status;
    try {
      List<HarnessDataset> loaded = new ArrayList<>();
      for (String d : datasets) {
        loaded.add(
            d.equals(HarnessDataset.FASHION)
                ? HarnessDataset.fashion(fashion)
                : HarnessDataset.digits(digits));
      }
      status = new DiagnosisHarness(out).run(home, loaded, seeds, chosen);
    } finally {
      if (keep || !temporary) {
        out.println(
            "kept TUNELAB_HOME "
                + home
                + " (harness/<dataset>/s<seed>/<case>/: planted.txt, command.txt, run.log,"
                + " report.json; rejudge with --rejudge "
                + home
                + ")");
      } else {
        delete(home);
      }
    }
    System.exit(status);
  }

  private static void list(List<HarnessCase> cases) {
    for (HarnessCase c : cases) {
      System.out.printf(
          Locale.ROOT,
          "%-28s planted %s%s%n    %s%n",
          c.name(),
          c.clean() ? "(none: clean)" : String.join(", ", c.plantedSorted()),
          c.datasets().isEmpty() ? "" : " (only " + String.join(", ", c.datasets()) + ")",
          c.what());
      new TreeMap<>(c.allowed())
          .forEach((code, why) -> System.out.println("    allowed " + code + ": " + why));
    }
  }

  /** Trains and judges every case on every dataset at every seed; prints the scores. */
  int run(Path home, List<HarnessDataset> datasets, List<Long> seeds, List<HarnessCase> cases)
      throws IOException {
    long t0 = System.nanoTime();
    Path root = home.resolve("harness");
    Files.createDirectories(root);
    Path record = home.resolve(CASES_FILE);
    Files.writeString(record, "run\tcase\tdataset\tseed\tseconds\tnote\n");
    List<CaseRun> runs = new ArrayList<>();
    try (ScenarioRunner runner = ScenarioRunner.start(home)) {
      for (long seed : seeds) {
        Map<String, HarnessDraw> draws = new LinkedHashMap<>();
        for (HarnessDataset d : datasets) {
          HarnessDraw draw = HarnessDraw.of(d, seed);
          if (pretrain(runner, draw, root)) {
            draws.put(d.name(), draw);
          }
        }
        for (HarnessDraw draw : draws.values()) {
          for (HarnessCase c : cases) {
            if (!c.runsOn(draw.dataset().name())) {
              continue;
            }
            String model = model(c, draw, draws);
            if (model == null) {
              out.printf(
                  Locale.ROOT,
                  "%-8s s%d %-28s skipped: needs the other dataset's model (--datasets both)%n",
                  draw.dataset().name(),
                  seed,
                  c.name());
              continue;
            }
            CaseRun run = runCase(runner, c, draw, model, root);
            runs.add(run);
            Files.writeString(
                record,
                String.join(
                        "\t",
                        run.runId(),
                        c.name(),
                        run.dataset(),
                        Long.toString(seed),
                        String.format(Locale.ROOT, "%.1f", run.seconds()),
                        run.note().replace('\t', ' ').replace('\n', ' '))
                    + "\n",
                StandardOpenOption.APPEND);
            printCase(run);
          }
        }
        if (!runs.isEmpty() && seed != seeds.get(seeds.size() - 1)) {
          // A long run that is cut off still leaves a table (and --rejudge scores a partial home).
          report(runs, ScenarioRunner.seconds(t0), "interim after seed " + seed);
        }
      }
    }
    if (runs.isEmpty()) {
      out.println("diagnosis-harness: no case ran");
      return 1;
    }
    report(runs, ScenarioRunner.seconds(t0), "diagnosis-harness");
    return 0;
  }

  /** The pretrained model a case fine-tunes, or {@code null} when it is not at hand. */
  private static String model(HarnessCase c, HarnessDraw draw, Map<String, HarnessDraw> draws) {
    if (c.model() == HarnessCase.Model.OWN) {
      return modelName(draw);
    }
    for (HarnessDraw other : draws.values()) {
      if (!other.dataset().name().equals(draw.dataset().name())) {
        return modelName(other);
      }
    }
    return null;
  }

  private static String modelName(HarnessDraw draw) {
    return draw.dataset().name() + "-0-4-s" + draw.seed();
  }

  /** Pretrains the draw's source model; false (and says why) when that failed. */
  private boolean pretrain(ScenarioRunner runner, HarnessDraw draw, Path root) throws IOException {
    long t0 = System.nanoTime();
    HarnessDataset d = draw.dataset();
    Path dir = root.resolve(d.name()).resolve("s" + draw.seed());
    Path source = draw.data().source(dir.resolve("source-0-4"), d.sourcePerClass());
    JsonNode report =
        runner.pretrain(
            source, modelName(draw), d.pretrainEpochs(), draw.seed(), dir.resolve("pretrain.log"));
    delete(source);
    if (report == null) {
      out.println("pretraining " + modelName(draw) + " failed; see " + dir.resolve("pretrain.log"));
      return false;
    }
    out.printf(
        Locale.ROOT,
        "pretrained %s: cnn, %d epochs on %d images per class of classes 0-4, test acc %.4f, in"
            + " %.0f s%n",
        modelName(draw),
        d.pretrainEpochs(),
        d.sourcePerClass(),
        ScenarioRunner.pretrainAccuracy(report),
        ScenarioRunner.seconds(t0));
    return true;
  }

  private CaseRun runCase(
      ScenarioRunner runner, HarnessCase c, HarnessDraw draw, String model, Path root)
      throws IOException {
    long t0 = System.nanoTime();
    String dataset = draw.dataset().name();
    Path dir = root.resolve(dataset).resolve("s" + draw.seed()).resolve(c.name());
    ScenarioDatasets.Built built = c.data().build(draw, dir.resolve("data"));
    ScenarioDatasets.writePlanted(built, dir.resolve("planted.txt"));
    String runId = "h-" + dataset + "-s" + draw.seed() + "-" + c.name();
    Map<String, String> flags =
        ScenarioRunner.merge(
            ScenarioRunner.merge(
                DiagnosisScenarios.HEALTHY_FLAGS,
                ScenarioRunner.flags("--seed", Long.toString(draw.seed()))),
            c.flags());
    ScenarioRunner.Finished run = runner.run(runId, built.dir(), model, flags, dir);
    // The run's ingest keeps the images in the bucket; the PNG folder is rebuilt from the seed.
    delete(built.dir());
    List<HarnessFinding> findings =
        run.report() == null ? List.of() : HarnessFinding.of(run.report());
    String note = run.note();
    if (run.report() == null) {
      note = (note.isEmpty() ? "" : note + "; ") + "no report (see " + dir.resolve("run.log") + ")";
    } else {
      note = (note.isEmpty() ? "" : note + "; ") + DiagnosisScenarios.facts(run.report());
    }
    return new CaseRun(c, dataset, draw.seed(), runId, findings, ScenarioRunner.seconds(t0), note);
  }

  private void printCase(CaseRun run) {
    HarnessCase c = run.kase();
    List<String> missed = new ArrayList<>();
    for (String code : c.plantedSorted()) {
      if (run.findings().stream().noneMatch(f -> f.raised() && f.code().equals(code))) {
        missed.add(code);
      }
    }
    List<String> wrong = falseRaised(run);
    out.printf(
        Locale.ROOT,
        "%-8s s%d %-28s %5.0f s  %s%s%s  [%s]%n",
        run.dataset(),
        run.seed(),
        c.name(),
        run.seconds(),
        c.clean() ? "clean" : "planted " + String.join(",", c.plantedSorted()),
        missed.isEmpty() ? "" : "; MISSED " + String.join(",", missed),
        wrong.isEmpty() ? "" : "; FALSE " + String.join(",", wrong),
        run.findings().isEmpty()
            ? "no findings"
            : String.join(", ", run.findings().stream().map(HarnessFinding::brief).toList()));
  }

  /** Codes raised (warning or above) that the case neither planted nor allowed. */
  private static List<String> falseRaised(CaseRun run) {
    return run.findings().stream()
        .filter(HarnessFinding::raised)
        .map(HarnessFinding::code)
        .filter(x -> !x.equals("healthy"))
        .filter(x -> !run.kase().planted().contains(x) && !run.kase().allowed().containsKey(x))
        .distinct()
        .toList();
  }

  /**
   * Prints per-case wall times, the score table, the false warnings and the summary line, which
   * starts with {@code label}.
   */
  void report(List<CaseRun> runs, double seconds, String label) {
    FindingScore score = new FindingScore();
    runs.forEach(r -> score.add(new FindingScore.Judged(r.kase(), r.findings())));
    out.println();
    out.println("### Wall time per case (s)");
    out.println();
    Map<String, List<CaseRun>> byCase = new LinkedHashMap<>();
    runs.forEach(r -> byCase.computeIfAbsent(r.kase().name(), k -> new ArrayList<>()).add(r));
    out.println("| case | runs (dataset seed: s) | mean |");
    out.println("| --- | --- | ---: |");
    byCase.forEach(
        (name, list) ->
            out.printf(
                Locale.ROOT,
                "| `%s` | %s | %.0f |%n",
                name,
                String.join(
                    ", ",
                    list.stream()
                        .map(
                            r ->
                                String.format(
                                    Locale.ROOT,
                                    "%s s%d: %.0f",
                                    r.dataset(),
                                    r.seed(),
                                    r.seconds()))
                        .toList()),
                list.stream().mapToDouble(CaseRun::seconds).average().orElse(0)));
    out.printf(
        Locale.ROOT,
        "%nharness time %.0f s (%.1f min) for %d case runs%n%n",
        seconds,
        seconds / 60,
        runs.size());
    out.println("### Precision and recall per finding code");
    out.println();
    score.table().forEach(out::println);
    out.println();
    out.println("### False warnings on clean cases");
    out.println();
    List<String> falseRows = new ArrayList<>();
    for (CaseRun r : runs) {
      if (!r.kase().clean()) {
        continue;
      }
      for (HarnessFinding f : r.findings()) {
        if (f.raised()
            && !f.code().equals("healthy")
            && !r.kase().allowed().containsKey(f.code())) {
          falseRows.add(
              String.format(
                  Locale.ROOT,
                  "| `%s` | %d | %s | `%s` | %s | %s |",
                  r.kase().name(),
                  r.seed(),
                  r.dataset(),
                  f.code(),
                  f.severity(),
                  f.title().replace('|', '/')));
        }
      }
    }
    if (falseRows.isEmpty()) {
      out.println("(none)");
    } else {
      out.println("| case | seed | dataset | code | severity | title |");
      out.println("| --- | ---: | --- | --- | --- | --- |");
      falseRows.forEach(out::println);
    }
    out.println();
    out.println("### Notes per run");
    out.println();
    for (CaseRun r : runs) {
      out.printf(
          Locale.ROOT, "%s (%s s%d): %s%n", r.kase().name(), r.dataset(), r.seed(), r.note());
    }
    out.println();
    Map.Entry<String, Double> wp = score.worstPrecision();
    Map.Entry<String, Double> wr = score.worstRecall();
    out.printf(
        Locale.ROOT,
        "%s: %d cases, worst precision %s, worst recall %s, %d false warnings on clean cases%n",
        label,
        runs.size(),
        wp == null
            ? "– (nothing raised)"
            : FindingScore.fmt(wp.getValue()) + " (" + wp.getKey() + ")",
        wr == null
            ? "– (nothing planted)"
            : FindingScore.fmt(wr.getValue()) + " (" + wr.getKey() + ")",
        falseRows.size());
    out.flush();
  }

  /**
   * Scores a kept home's runs again: this jar's engine rediagnoses each run listed in the home's
   * {@value #CASES_FILE} from what the run stored (no training), with this jar's case list.
   */
  int rejudge(Path home, List<HarnessCase> cases) throws Exception {
    Path record = home.resolve(CASES_FILE);
    if (!Files.isRegularFile(record)) {
      out.println("diagnosis-harness: " + record + " not found (not a harness home)");
      return 1;
    }
    Map<String, HarnessCase> byName = new LinkedHashMap<>();
    cases.forEach(c -> byName.put(c.name(), c));
    List<CaseRun> runs = new ArrayList<>();
    long t0 = System.nanoTime();
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    try (EmbeddedObjectStore s3 =
        EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab")) {
      ObjectStore store =
          ObjectStore.connect(
              new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
      List<String> lines = Files.readAllLines(record);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split("\t", -1);
        HarnessCase c = byName.get(f[1]);
        if (c == null || !c.runsOn(f[2])) {
          continue; // a case this jar no longer has, or no longer runs on that dataset
        }
        List<HarnessFinding> findings;
        String note;
        try {
          findings = HarnessFinding.of(Rediagnose.findings(store, f[0]));
          note = "rejudged";
        } catch (Exception e) {
          findings = List.of();
          note = "not rejudged: " + e;
        }
        CaseRun run =
            new CaseRun(
                c, f[2], Long.parseLong(f[3]), f[0], findings, Double.parseDouble(f[4]), note);
        runs.add(run);
        printCase(run);
      }
    }
    if (runs.isEmpty()) {
      out.println("diagnosis-harness: no case to rejudge in " + record);
      return 1;
    }
    out.printf(
        Locale.ROOT,
        "rejudged %d runs of %s in %.0f s (wall times below are the original runs')%n",
        runs.size(),
        home,
        ScenarioRunner.seconds(t0));
    report(runs, runs.stream().mapToDouble(CaseRun::seconds).sum(), "diagnosis-harness");
    return 0;
  }

  private static List<Long> parseSeeds(String text) {
    List<Long> seeds = new ArrayList<>();
    for (String s : text.split(",")) {
      try {
        long seed = Long.parseLong(s.trim());
        if (seed <= 0) {
          usage("--seeds " + text + ": seeds are positive");
        }
        seeds.add(seed);
      } catch (NumberFormatException e) {
        usage("--seeds " + text + ": not a list of numbers");
      }
    }
    return List.copyOf(new LinkedHashSet<>(seeds));
  }

  private static List<String> parseDatasets(String text) {
    List<String> names = new ArrayList<>();
    for (String s : text.split(",")) {
      if (!s.equals(HarnessDataset.FASHION) && !s.equals(HarnessDataset.DIGITS)) {
        usage("--datasets " + text + ": fashion and/or digits");
      }
      if (!names.contains(s)) {
        names.add(s);
      }
    }
    return names;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      usage(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void usage(String message) {
    System.err.println("diagnosis-harness: " + message);
    System.err.println(
        "usage: diagnosis-harness [--only CASE[,CASE...]] [--seeds 1,2,3]"
            + " [--datasets fashion,digits] [--keep] [--home DIR] [--fashion IDX_DIR]"
            + " [--digits CSV_GZ] [--list] | --rejudge HOME [--only ...]");
    System.exit(2);
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
