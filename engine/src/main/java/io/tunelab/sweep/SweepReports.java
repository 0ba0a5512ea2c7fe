package io.tunelab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.evaluation.Predictions;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepConfig;
import io.tunelab.workflows.model.SweepMember;
import io.tunelab.workflows.model.SweepOutcome;
import io.tunelab.workflows.model.SweepSpec;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sweep's comparative report, from what its member runs left in the bucket: each member's record
 * ({@code runs/<id>/run.json}, for its status; none yet means {@code PENDING}), its report ({@code
 * runs/<id>/report.json}, or a live report of a running member) and its fine-tune arm's test
 * predictions (for the McNemar test of a one-seed comparison). The sweep's activity stores the
 * report at its end; the CLI and the dashboard build the same report of a sweep in flight.
 */
public final class SweepReports {
  private static final Logger log = LoggerFactory.getLogger(SweepReports.class);

  private final ObjectStore store;
  private final RunRecords records;
  private final SweepDiagnosis diagnosis;

  public SweepReports(ObjectStore store) {
    this.store = store;
    this.records = new RunRecords(store);
    this.diagnosis = new SweepDiagnosis();
  }

  /**
   * The sweep report JSON of the contract.
   *
   * @param spec the sweep
   * @param status the sweep's own status
   * @param liveReport the report of a running member by run id, used when it has no stored report
   */
  public ObjectNode build(
      SweepSpec spec, RunStatus status, Function<String, Optional<JsonNode>> liveReport) {
    SweepAnalysis analysis = analyse(spec, status, liveReport);
    return SweepReportJson.write(analysis, diagnosis.diagnose(analysis));
  }

  /** The configs, their runs and means, the best config and its comparisons. */
  public SweepAnalysis analyse(
      SweepSpec spec, RunStatus status, Function<String, Optional<JsonNode>> liveReport) {
    List<ConfigResult> configs = new ArrayList<>();
    for (SweepConfig config : spec.configs()) {
      List<MemberRun> runs = new ArrayList<>();
      for (SweepMember member : spec.members()) {
        if (member.config() == config.config()) {
          runs.add(member(member, liveReport));
        }
      }
      configs.add(ConfigResult.of(config.config(), config.values(), runs));
    }
    return SweepAnalysis.of(
        spec.sweepId(), status, spec.vary(), spec.seeds(), configs, this::predictions);
  }

  /** Stores the report of a sweep (members' stored reports only) and returns its key. */
  public String write(SweepSpec spec, RunStatus status) {
    return conclude(spec, status).reportKey();
  }

  /**
   * Stores the report of a sweep, as {@link #write}, and returns what it says in brief: the call
   * the sweep's last activity makes.
   */
  public SweepOutcome conclude(SweepSpec spec, RunStatus status) {
    String key = Keys.report(spec.sweepId());
    ObjectNode report = build(spec, status, id -> Optional.empty());
    store.put(key, Json.bytes(report), "application/json");
    log.info("report of sweep {} written to {}", spec.sweepId(), key);
    return outcome(report, key);
  }

  /** The spec of a recorded sweep ({@code runs/<sweepId>/run.json} of kind {@code sweep}). */
  public Optional<SweepSpec> spec(String sweepId) {
    return records.find(sweepId).map(RunRecord::sweepSpec);
  }

  /** What a stored sweep report says in brief. */
  public SweepOutcome outcome(JsonNode report, String key) {
    return SweepHeadline.outcome(report, key);
  }

  /**
   * A member as its record and report show it. The record's status counts, except that a record
   * still saying {@code RUNNING} beside a stored report of a run that ended (the report is written
   * just before the record is marked finished) takes the report's status.
   */
  private MemberRun member(SweepMember member, Function<String, Optional<JsonNode>> liveReport) {
    RunStatus status =
        records.find(member.runId()).map(RunRecord::status).orElse(RunStatus.PENDING);
    Optional<JsonNode> stored = stored(member.runId());
    if (status == RunStatus.RUNNING && stored.isPresent()) {
      status = ended(stored.get()).orElse(status);
    }
    JsonNode report = stored.or(() -> liveReport.apply(member.runId())).orElse(null);
    return MemberRun.of(member, status, report);
  }

  /** The status of a stored run report when it says the run ended. */
  private static Optional<RunStatus> ended(JsonNode report) {
    try {
      RunStatus s = RunStatus.parse(report.path("status").asText());
      return s == RunStatus.COMPLETED || s == RunStatus.FAILED || s == RunStatus.CANCELED
          ? Optional.of(s)
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Optional<JsonNode> stored(String runId) {
    try {
      return Optional.of(Json.tree(store.get(Keys.report(runId))));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    } catch (UncheckedIOException e) {
      log.warn("report of member {} is unreadable: {}", runId, e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<Predictions> predictions(String runId) {
    try {
      return Optional.of(
          Json.read(store.get(Keys.predictions(runId, "finetune", "test")), Predictions.class));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    } catch (UncheckedIOException e) {
      log.warn("test predictions of member {} are unreadable: {}", runId, e.getMessage());
      return Optional.empty();
    }
  }
}
