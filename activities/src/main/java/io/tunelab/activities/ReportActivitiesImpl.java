package io.tunelab.activities;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.diagnosis.Diagnoser;
import io.tunelab.diagnosis.EvidenceReader;
import io.tunelab.evaluation.PairedComparison;
import io.tunelab.evaluation.Predictions;
import io.tunelab.report.ReportBuilder;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.activities.ReportActivities;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.TestMetrics;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Activity adapter for comparison, diagnosis, reports and run records. */
public final class ReportActivitiesImpl implements ReportActivities {
  private static final Logger log = LoggerFactory.getLogger(ReportActivitiesImpl.class);

  private final ObjectStore store;
  private final ReportBuilder builder;
  private final Diagnoser diagnoser;
  private final RunRecords records;

  public ReportActivitiesImpl(
      ObjectStore store, ReportBuilder builder, Diagnoser diagnoser, RunRecords records) {
    this.store = store;
    this.builder = builder;
    this.diagnoser = diagnoser;
    this.records = records;
  }

  @Override
  public Comparison compare(TestMetrics finetune, TestMetrics scratch) {
    Predictions f = Json.read(store.get(finetune.predictionsKey()), Predictions.class);
    Predictions s = Json.read(store.get(scratch.predictionsKey()), Predictions.class);
    return PairedComparison.compare(f, s);
  }

  @Override
  public List<Finding> diagnose(RunState state) {
    return diagnoser.diagnose(new EvidenceReader(store).read(state));
  }

  @Override
  public String writeReport(RunState state) {
    String key = Keys.report(state.runId());
    store.put(key, Json.bytes(builder.build(state, profile(store, state))), "application/json");
    log.info("report of run {} written to {}", state.runId(), key);
    return key;
  }

  @Override
  public void finishRun(String runId, String status) {
    records.finish(runId, status);
  }

  /** The dataset profile of a run's ingest, or {@code null}. */
  public static JsonNode profile(ObjectStore store, RunState state) {
    if (state.dataset() == null) {
      return null;
    }
    try {
      return Json.tree(store.get(state.dataset().profileKey()));
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }
}
