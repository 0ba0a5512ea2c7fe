package io.tunelab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepConfig;
import io.tunelab.workflows.model.SweepMember;
import io.tunelab.workflows.model.SweepSpec;
import io.tunelab.workflows.model.TrainingParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished sweep planted in the bucket without training: its record and, per member, a record and
 * a run report as the experiment workflow leaves them. Three learning rates × two seeds: {@code
 * lr=0.1} diverges (FAILED, {@code lr-too-high}), {@code lr=0.01} is best, {@code lr=0.001} is
 * worse and carries a finding code named like markup, so that pages must show it as text.
 */
final class PlantedSweep {
  static final String HOSTILE_CODE = "<img id=pwned src=x onerror=window.pwned=1>";
  static final List<String> RATES = List.of("0.1", "0.01", "0.001");
  static final List<Long> SEEDS = List.of(1L, 2L);

  private PlantedSweep() {}

  /** Plants sweep {@code sweepId} (recorded as COMPLETED an hour ago) and returns its spec. */
  static SweepSpec plant(ObjectStore store, String sweepId) {
    SweepSpec spec = spec(sweepId);
    RunRecords records = new RunRecords(store);
    String started = Instant.now().minusSeconds(3600).toString();
    String ended = Instant.now().minusSeconds(600).toString();
    records.save(RunRecord.sweep(spec, started).finished(RunStatus.COMPLETED, ended));
    for (SweepMember m : spec.members()) {
      boolean diverged = m.config() == 1;
      RunStatus status = diverged ? RunStatus.FAILED : RunStatus.COMPLETED;
      records.save(
          RunRecord.experiment(spec.experiment(m), sweepId, started).finished(status, ended));
      store.put(Keys.report(m.runId()), Json.bytes(report(m, status)), "application/json");
    }
    return spec;
  }

  /**
   * Sets the planted sweep back to running with its last member not started yet (no record, no
   * report), as a page watching it live would have seen it a while before its end.
   */
  static void unfinish(ObjectStore store, SweepSpec spec) {
    RunRecords records = new RunRecords(store);
    RunRecord sweep = records.find(spec.sweepId()).orElseThrow();
    records.save(sweep.finished(RunStatus.RUNNING, null));
    List<SweepMember> members = spec.members();
    String last = members.get(members.size() - 1).runId();
    store.delete(Keys.report(last));
    store.delete("runs/" + last + "/run.json");
  }

  private static SweepSpec spec(String sweepId) {
    List<SweepConfig> configs = new ArrayList<>();
    for (int i = 0; i < RATES.size(); i++) {
      TrainingParams params =
          TrainingParams.builder()
              .epochs(5)
              .batchSize(32)
              .learningRate(Double.parseDouble(RATES.get(i)))
              .build();
      configs.add(new SweepConfig(i + 1, Map.of("lr", RATES.get(i)), params, 0.001));
    }
    ExperimentSpec base =
        ExperimentSpec.builder()
            .runId(sweepId)
            .source("/data/target")
            .pretrained("base")
            .finetune(configs.get(0).finetune())
            .scratchLearningRate(0.001)
            .scratch(false)
            .build();
    Map<String, List<String>> vary = new LinkedHashMap<>();
    vary.put("lr", RATES);
    return new SweepSpec(sweepId, base, vary, configs, SEEDS, 1, 0);
  }

  /** A run report with what the sweep report reads: the fine-tune arm's epochs, test, findings. */
  private static ObjectNode report(SweepMember m, RunStatus status) {
    double shift = 0.01 * m.seed();
    double[] loss =
        switch (m.config()) {
          case 1 -> new double[] {2.5 + shift, 9.0, Double.NaN};
          case 2 -> new double[] {0.9 + shift, 0.6 + shift, 0.5 + shift, 0.45 + shift, 0.47};
          default -> new double[] {1.2 + shift, 1.0 + shift, 0.85 + shift, 0.78 + shift, 0.74};
        };
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("runId", m.runId());
    root.put("status", status.wire());
    ObjectNode arm = root.putObject("arms").putObject("finetune");
    arm.put("status", status.wire());
    ArrayNode epochs = arm.putArray("epochs");
    int best = 1;
    for (int i = 0; i < loss.length; i++) {
      ObjectNode e = epochs.addObject();
      e.put("epoch", i + 1);
      e.put("trainLoss", 1.0 / (i + 1));
      e.put("trainAcc", 0.5 + 0.05 * i);
      if (Double.isFinite(loss[i])) {
        e.put("valLoss", loss[i]);
        best = loss[i] < loss[best - 1] ? i + 1 : best;
      } else {
        e.putNull("valLoss");
      }
      e.put("valAcc", 0.6 + 0.05 * i - 0.01 * m.seed());
    }
    arm.put("bestEpoch", best);
    if (status == RunStatus.COMPLETED) {
      double acc = (m.config() == 2 ? 0.88 : 0.81) + 0.01 * m.seed();
      arm.putObject("test").put("loss", 0.4).put("acc", acc);
    } else {
      arm.putNull("test");
    }
    ArrayNode findings = root.putArray("findings");
    List<String[]> planted = new ArrayList<>();
    if (m.config() == 1) {
      planted.add(new String[] {"lr-too-high", "critical"});
    } else if (m.config() == 3) {
      planted.add(new String[] {HOSTILE_CODE, "warning"});
    } else {
      planted.add(new String[] {"healthy", "info"});
    }
    for (String[] f : planted) {
      findings
          .addObject()
          .put("code", f[0])
          .put("severity", f[1])
          .put("arm", "finetune")
          .put("title", f[0])
          .put("evidence", "planted")
          .put("recommendation", "none");
    }
    return root;
  }
}
