package io.tunelab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.storage.Json;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.RunState;
import java.util.Map;

/**
 * Builds the report JSON of the contract from a run's state and its dataset profile. The same
 * builder serves a finished run (the stored report) and a running one (built from a query).
 */
public final class ReportBuilder {

  /**
   * Builds the report.
   *
   * @param state the run's state
   * @param profile the dataset profile from the bucket, or {@code null} when not ingested yet
   */
  public ObjectNode build(RunState state, JsonNode profile) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("runId", state.runId());
    root.put("kind", state.kind());
    root.put("status", state.status().wire());
    root.put("phase", state.phase());
    if (state.error() != null) {
      root.put("error", state.error());
    }
    root.set("dataset", dataset(state.dataset(), profile));
    ObjectNode arms = root.putObject("arms");
    for (Map.Entry<String, ArmResult> e : state.arms().entrySet()) {
      arms.set(e.getKey(), arm(e.getValue()));
    }
    Comparison c = state.comparison();
    if (c == null) {
      root.putNull("comparison");
    } else {
      ObjectNode comparison = root.putObject("comparison");
      comparison.put("winner", c.winner());
      comparison.put("testAccDelta", c.testAccDelta());
      comparison.put("pValue", c.pValue());
      comparison.put("finetuneOnlyCorrect", c.finetuneOnlyCorrect());
      comparison.put("scratchOnlyCorrect", c.scratchOnlyCorrect());
    }
    ArrayNode findings = root.putArray("findings");
    for (Finding f : state.findings()) {
      ObjectNode node = findings.addObject();
      node.put("code", f.code());
      node.put("severity", f.severity());
      node.put("arm", f.arm());
      node.put("title", f.title());
      node.put("evidence", f.evidence());
      node.put("recommendation", f.recommendation());
    }
    ModelInfo m = state.registered();
    if (m != null) {
      ObjectNode model = root.putObject("registeredModel");
      model.put("name", m.name());
      model.put("version", m.version());
      model.put("architecture", m.architecture());
      model.put("shape", m.shape().toString());
      model.set("classes", Json.mapper().valueToTree(m.classes()));
      model.put("testAcc", m.testAccuracy());
    }
    return root;
  }

  private static ObjectNode dataset(DatasetRef ref, JsonNode profile) {
    ObjectNode node = Json.mapper().createObjectNode();
    if (ref == null) {
      node.putArray("classes");
      node.putObject("splits");
      node.putArray("rejected");
      node.put("duplicatesAcrossSplits", 0);
      return node;
    }
    node.put("ingestId", ref.ingestId());
    node.set("classes", Json.mapper().valueToTree(ref.classes()));
    node.put("shape", ref.shape().toString());
    ObjectNode splits = node.putObject("splits");
    for (String split : new String[] {"train", "val", "test"}) {
      ObjectNode counts = splits.putObject(split);
      Map<String, Integer> perClass = ref.counts().getOrDefault(split, Map.of());
      for (String cls : ref.classes()) {
        counts.put(cls, perClass.getOrDefault(cls, 0));
      }
    }
    ArrayNode rejected = node.putArray("rejected");
    if (profile != null && profile.path("rejected").isArray()) {
      for (JsonNode r : profile.path("rejected")) {
        ObjectNode entry = rejected.addObject();
        entry.put("path", r.path("path").asText());
        entry.put("reason", r.path("reason").asText());
      }
    }
    node.put("duplicatesAcrossSplits", ref.duplicatesAcrossSplits());
    // Clips: the videos per split and class beside the stacks in splits, and how they were cut.
    JsonNode clips = profile == null ? null : profile.get("clips");
    if (clips != null && clips.path("videos").isObject()) {
      node.set("videos", clips.get("videos"));
      ObjectNode stacks = node.putObject("stacks");
      stacks.put("frames", clips.path("frames").asInt());
      stacks.put("stride", clips.path("stride").asInt());
      stacks.put("frameSize", clips.path("frameSize").asInt());
    }
    if (ref.augmentedSamplesKey() != null) {
      node.put("augmentedSamples", ref.augmentedSamplesKey());
    }
    if (profile != null) {
      for (String extra :
          new String[] {
            "duplicatePairs",
            "nearDuplicatePairs",
            "imbalanceRatio",
            "imageSizes",
            "greyImages",
            "colourImages"
          }) {
        if (profile.has(extra)) {
          node.set(extra, profile.get(extra));
        }
      }
      // A table's columns, encoding and per-feature statistics per split (absent for images).
      if (profile.path("table").isObject()) {
        node.set("table", profile.get("table"));
      }
    }
    return node;
  }

  private static ObjectNode arm(ArmResult arm) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("status", arm.status().wire());
    ArrayNode epochs = node.putArray("epochs");
    for (EpochMetrics m : arm.epochs()) {
      ObjectNode e = epochs.addObject();
      e.put("epoch", m.epoch());
      number(e, "trainLoss", m.trainLoss());
      number(e, "trainAcc", m.trainAcc());
      number(e, "valLoss", m.valLoss());
      number(e, "valAcc", m.valAcc());
      e.put("lr", m.lr());
      e.put("seconds", m.seconds());
    }
    if (arm.bestEpoch() > 0) {
      node.put("bestEpoch", arm.bestEpoch());
    } else {
      node.putNull("bestEpoch");
    }
    node.put("stoppedEarly", arm.stoppedEarly());
    if (arm.resumedFromEpoch() == null) {
      node.putNull("resumedFromEpoch");
    } else {
      node.put("resumedFromEpoch", arm.resumedFromEpoch());
    }
    if (arm.test() == null) {
      node.putNull("test");
    } else {
      ObjectNode test = node.putObject("test");
      test.put("loss", arm.test().loss());
      test.put("acc", arm.test().acc());
    }
    if (arm.bestCheckpointKey() != null) {
      node.put("bestCheckpoint", arm.bestCheckpointKey());
    }
    if (arm.error() != null) {
      node.put("error", arm.error());
    }
    node.set("notes", Json.mapper().valueToTree(arm.notes()));
    return node;
  }

  private static void number(ObjectNode node, String field, double value) {
    Json.putNumber(node, field, value);
  }
}
