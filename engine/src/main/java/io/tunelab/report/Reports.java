package io.tunelab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.diagnosis.Diagnoser;
import io.tunelab.diagnosis.EvidenceReader;
import io.tunelab.evaluation.PairedComparison;
import io.tunelab.evaluation.Predictions;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.TestMetrics;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's comparison, diagnosis and report, from its state and the evidence in the bucket. The
 * report activity stores the report at the end of a run; the CLI and the dashboard build the same
 * report of a run still in flight.
 */
public final class Reports {
  private static final Logger log = LoggerFactory.getLogger(Reports.class);

  private final ObjectStore store;
  private final ReportBuilder builder;
  private final Diagnoser diagnoser;

  /** Reports of the runs in {@code store}, with the default builder and diagnoser. */
  public Reports(ObjectStore store) {
    this(store, new ReportBuilder(), new Diagnoser());
  }

  public Reports(ObjectStore store, ReportBuilder builder, Diagnoser diagnoser) {
    this.store = store;
    this.builder = builder;
    this.diagnoser = diagnoser;
  }

  /** Compares the two arms' test predictions image by image. */
  public Comparison compare(TestMetrics finetune, TestMetrics scratch) {
    Predictions f = Json.read(store.get(finetune.predictionsKey()), Predictions.class);
    Predictions s = Json.read(store.get(scratch.predictionsKey()), Predictions.class);
    return PairedComparison.compare(f, s);
  }

  /** The findings of the diagnosis of a run, from the evidence it left in the bucket. */
  public List<Finding> diagnose(RunState state) {
    return diagnoser.diagnose(new EvidenceReader(store).read(state));
  }

  /** The report of a run as its state stands. */
  public ObjectNode build(RunState state) {
    return builder.build(state, profile(state));
  }

  /** Stores the report of a run and returns its key. */
  public String write(RunState state) {
    String key = Keys.report(state.runId());
    store.put(key, Json.bytes(build(state)), "application/json");
    log.info("report of run {} written to {}", state.runId(), key);
    return key;
  }

  /** The dataset profile of a run's ingest, or {@code null}. */
  JsonNode profile(RunState state) {
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
