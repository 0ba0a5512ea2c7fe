package io.tunelab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.diagnosis.Diagnoser;
import io.tunelab.diagnosis.EvidenceReader;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.registry.ModelRegistry;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SampleShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the findings engine of this jar again on finished runs kept by {@code
 * bench/diagnosis-scenarios.sh --keep}: it serves the kept home's bucket, rebuilds each run's state
 * from its stored report and reads the evidence (predictions, probes, profile) the run left, then
 * prints the findings. Lets a rule change be judged on real runs in seconds instead of retraining
 * them. Usage: {@code Rediagnose HOME RUN [RUN...]} (add {@code -v} first for the evidence).
 */
public final class Rediagnose {
  private Rediagnose() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    int first = 0;
    boolean verbose = false;
    if (args.length > 0 && args[0].equals("-v")) {
      verbose = true;
      first = 1;
    }
    if (args.length < first + 2) {
      System.err.println("usage: Rediagnose [-v] HOME RUN [RUN...]");
      System.exit(2);
    }
    Path home = Path.of(args[first]);
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    try (EmbeddedObjectStore s3 =
        EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab")) {
      ObjectStore store =
          ObjectStore.connect(
              new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
      for (int i = first + 1; i < args.length; i++) {
        String run = args[i];
        List<Finding> findings = findings(store, run);
        List<String> codes = new ArrayList<>();
        for (Finding f : findings) {
          codes.add(f.code() + ":" + f.severity() + ":" + f.arm());
        }
        System.out.println(run + "  " + String.join(", ", codes));
        if (verbose) {
          for (Finding f : findings) {
            System.out.println(
                "  - " + f.code() + " [" + f.severity() + ", " + f.arm() + "] " + f.evidence());
          }
        }
      }
    }
    System.exit(0);
  }

  /** The findings this jar's engine gives a finished run, from what the run left in the store. */
  static List<Finding> findings(ObjectStore store, String runId) throws Exception {
    return new Diagnoser().diagnose(new EvidenceReader(store).read(state(store, runId)));
  }

  /** The run's state as the diagnose activity saw it, rebuilt from the stored report. */
  static RunState state(ObjectStore store, String runId) throws Exception {
    JsonNode report = Json.tree(store.get(Keys.report(runId)));
    JsonNode record = Json.tree(store.get(Keys.run(runId)));
    JsonNode d = report.path("dataset");
    List<String> classes = new ArrayList<>();
    d.path("classes").forEach(c -> classes.add(c.asText()));
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    for (String split : List.of("train", "val", "test")) {
      Map<String, Integer> perClass = new LinkedHashMap<>();
      d.path("splits")
          .path(split)
          .fields()
          .forEachRemaining(e -> perClass.put(e.getKey(), e.getValue().asInt()));
      counts.put(split, perClass);
    }
    String ingest = d.path("ingestId").asText();
    DatasetRef dataset =
        new DatasetRef(
            ingest,
            Keys.manifest(ingest),
            Keys.profile(ingest),
            Map.of(
                "train",
                Keys.shard(ingest, "train"),
                "val",
                Keys.shard(ingest, "val"),
                "test",
                Keys.shard(ingest, "test")),
            classes,
            shape(d.path("shape").asText()),
            counts,
            d.path("rejected").size(),
            d.path("duplicatesAcrossSplits").asInt(),
            d.path("augmentedSamples").asText(null));
    Map<String, ArmResult> arms = new LinkedHashMap<>();
    report
        .path("arms")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode a = e.getValue();
              List<EpochMetrics> epochs = new ArrayList<>();
              for (JsonNode m : a.path("epochs")) {
                epochs.add(
                    new EpochMetrics(
                        m.path("epoch").asInt(),
                        num(m.path("trainLoss")),
                        num(m.path("trainAcc")),
                        num(m.path("valLoss")),
                        num(m.path("valAcc")),
                        m.path("lr").asDouble(),
                        m.path("seconds").asDouble()));
              }
              List<String> notes = new ArrayList<>();
              a.path("notes").forEach(n -> notes.add(n.asText()));
              arms.put(
                  e.getKey(),
                  new ArmResult(
                      Arm.parse(e.getKey()),
                      RunStatus.parse(a.path("status").asText("COMPLETED")),
                      epochs,
                      a.path("bestEpoch").asInt(),
                      null,
                      null,
                      a.path("stoppedEarly").asBoolean(),
                      a.path("resumedFromEpoch").isNumber()
                          ? a.path("resumedFromEpoch").asInt()
                          : null,
                      null,
                      a.path("error").asText(null),
                      notes));
            });
    JsonNode c = report.path("comparison");
    Comparison comparison =
        c.isObject()
            ? new Comparison(
                c.path("winner").asText(),
                c.path("testAccDelta").asDouble(),
                c.path("pValue").asDouble(),
                c.path("finetuneOnlyCorrect").asInt(),
                c.path("scratchOnlyCorrect").asInt())
            : null;
    String model = record.path("experiment").path("pretrained").asText(null);
    ModelInfo pretrained =
        model == null ? null : new ModelRegistry(store).latest(model).orElse(null);
    return new RunState(
        runId,
        report.path("kind").asText("experiment"),
        RunStatus.parse(report.path("status").asText()),
        report.path("phase").asText(null),
        dataset,
        arms,
        comparison,
        List.of(),
        null,
        pretrained,
        Keys.report(runId),
        report.path("error").asText(null));
  }

  private static SampleShape shape(String text) {
    String[] p = text.split("x");
    return SampleShape.image(
        Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
  }

  private static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
