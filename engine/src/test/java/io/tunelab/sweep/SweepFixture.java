package io.tunelab.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.evaluation.Predictions;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepConfig;
import io.tunelab.workflows.model.SweepMember;
import io.tunelab.workflows.model.SweepSpec;
import io.tunelab.workflows.model.TrainingParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep planted in an in-memory bucket: its spec (the cartesian product of the varied values)
 * and, per member, a run record and a run report as the experiment workflow leaves them.
 */
final class SweepFixture {
  final InMemoryObjectStore store = new InMemoryObjectStore();
  final RunRecords records = new RunRecords(store);
  final SweepSpec spec;

  SweepFixture(String sweepId, Map<String, List<String>> vary, List<Long> seeds) {
    this.spec = spec(sweepId, vary, seeds);
  }

  /** A sweep spec whose configs are the cartesian product of {@code vary}, in order. */
  static SweepSpec spec(String sweepId, Map<String, List<String>> vary, List<Long> seeds) {
    List<Map<String, String>> product = new ArrayList<>();
    product.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> flag : vary.entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : product) {
        for (String value : flag.getValue()) {
          Map<String, String> values = new LinkedHashMap<>(partial);
          values.put(flag.getKey(), value);
          next.add(values);
        }
      }
      product = next;
    }
    TrainingParams params =
        TrainingParams.builder().epochs(5).batchSize(32).learningRate(0.001).build();
    List<SweepConfig> configs = new ArrayList<>();
    for (int i = 0; i < product.size(); i++) {
      configs.add(new SweepConfig(i + 1, product.get(i), params, 0.01));
    }
    ExperimentSpec base =
        ExperimentSpec.builder()
            .runId(sweepId)
            .source("/data/shoes")
            .pretrained("fashion")
            .finetune(params)
            .scratchLearningRate(0.01)
            .build();
    return new SweepSpec(sweepId, base, vary, configs, seeds, 2, 0);
  }

  /**
   * Plants a member: its record with a status and its report, whose fine-tune arm has a validation
   * loss per epoch (NaN: diverged), the best epoch, a test accuracy (NaN: untested) and the given
   * run findings (fine-tune arm, warning).
   */
  SweepMember plant(
      int config,
      long seed,
      RunStatus status,
      double testAcc,
      double[] valLoss,
      int bestEpoch,
      String... codes) {
    SweepMember member = SweepMember.of(spec.sweepId(), config, seed);
    records.save(
        RunRecord.experiment(spec.experiment(member), spec.sweepId(), "2026-12-06T05:00:00Z")
            .finished(status, status == RunStatus.RUNNING ? null : "2026-12-06T05:10:00Z"));
    store.put(
        Keys.report(member.runId()),
        Json.bytes(report(member.runId(), status, testAcc, valLoss, bestEpoch, codes)),
        "application/json");
    return member;
  }

  /** A run report JSON of the contract with only what the sweep reads. */
  static ObjectNode report(
      String runId,
      RunStatus status,
      double testAcc,
      double[] valLoss,
      int bestEpoch,
      String... codes) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("runId", runId);
    root.put("status", status.wire());
    ObjectNode arm = root.putObject("arms").putObject("finetune");
    ArrayNode epochs = arm.putArray("epochs");
    for (int i = 0; i < valLoss.length; i++) {
      ObjectNode e = epochs.addObject();
      e.put("epoch", i + 1);
      e.put("trainLoss", 0.5);
      if (Double.isFinite(valLoss[i])) {
        e.put("valLoss", valLoss[i]);
      } else {
        e.putNull("valLoss");
      }
      e.put("valAcc", 0.5 + 0.01 * i);
    }
    arm.put("bestEpoch", bestEpoch);
    if (Double.isFinite(testAcc)) {
      arm.putObject("test").put("loss", 0.4).put("acc", testAcc);
    } else {
      arm.putNull("test");
    }
    ArrayNode findings = root.putArray("findings");
    for (String code : codes) {
      findings
          .addObject()
          .put("code", code)
          .put("severity", "healthy".equals(code) ? "info" : "warning")
          .put("arm", "finetune")
          .put("title", code)
          .put("evidence", "")
          .put("recommendation", "");
    }
    return root;
  }

  /** Stores a member's fine-tune test predictions. */
  void predictions(SweepMember member, int[] labels, int[] predicted) {
    float[] confidence = new float[labels.length];
    store.put(
        Keys.predictions(member.runId(), "finetune", "test"),
        Json.bytes(new Predictions(labels, predicted, confidence)),
        "application/json");
  }
}
