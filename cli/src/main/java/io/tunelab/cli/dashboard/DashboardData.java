package io.tunelab.cli.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.cli.Launcher;
import io.tunelab.cli.RunEntries;
import io.tunelab.cli.Services;
import io.tunelab.cli.StateFollower;
import io.tunelab.cli.WorkflowStatuses;
import io.tunelab.report.Reports;
import io.tunelab.runs.RunRecords;
import io.tunelab.runs.RunRecovery;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.ResumePoint;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the dashboard shows, read from the run records in the bucket and, where Temporal knows the
 * run, from its workflow: the list of runs with their live status and a run's live report JSON (the
 * same JSON as {@code tunelab report RUN}).
 */
public final class DashboardData {
  private final Services services;
  private final WorkflowStatuses statuses;

  /** Running runs the dashboard shows, at most this many followed at once. */
  private static final int FOLLOWED_RUNS = 64;

  private final String temporalUi;
  private final DashboardSweeps sweeps;

  /**
   * Per running run, its last state and history length: a page polls every few seconds, and a query
   * is a replay of the run on a worker, so the state is queried only when the history grew.
   */
  private final Map<String, StateFollower> followers =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StateFollower> eldest) {
          return size() > FOLLOWED_RUNS;
        }
      };

  /**
   * @param services Temporal and the object store
   * @param temporalUi base address of a Temporal web UI (e.g. {@code http://temporal-ui:8080}), or
   *     {@code null} when there is none
   */
  public DashboardData(Services services, String temporalUi) {
    this.services = services;
    this.statuses = new WorkflowStatuses(services);
    this.temporalUi =
        temporalUi == null || temporalUi.isBlank() ? null : temporalUi.replaceAll("/+$", "");
    this.sweeps = new DashboardSweeps(services.store(), this);
  }

  /** Whether {@code id} is a recorded sweep. */
  public boolean isSweep(String id) {
    return sweeps.exists(id);
  }

  /**
   * The sweep's report JSON (as {@code tunelab report ID} prints it), live while it runs; empty
   * when {@code id} is no recorded sweep.
   */
  public Optional<JsonNode> sweep(String id) {
    return sweeps.report(id);
  }

  /**
   * A running run's report from its workflow's state; empty when the run is not running or no
   * worker answers. A sweep reads its running members' reports through it.
   */
  Optional<JsonNode> liveReport(String runId) {
    if (temporalStatus(runId).orElse(null) != RunStatus.RUNNING) {
      return Optional.empty();
    }
    return runningState(runId).map(this::build);
  }

  /** The runs, newest first, in {@code list --json}'s shape with the live status. */
  public ArrayNode runs() {
    List<RunRecord> records = new RunRecords(services.store()).all();
    ArrayNode array = Json.mapper().createArrayNode();
    for (RunRecord r : records) {
      // a finished record is final; a RUNNING one may be stale (worker lost, service restarted)
      RunStatus live =
          r.status() == RunStatus.RUNNING ? temporalStatus(r.runId()).orElse(null) : null;
      ObjectNode node = RunEntries.fill(array.addObject(), r, live);
      temporalLink(r.runId()).ifPresent(link -> node.put("temporalUi", link));
    }
    return array;
  }

  /** A running run's state, queried only when its history grew since the last one. */
  private Optional<RunState> runningState(String runId) {
    StateFollower follower;
    synchronized (followers) {
      follower = followers.computeIfAbsent(runId, id -> new Launcher(services).follower());
    }
    synchronized (follower) {
      return follower.poll(runId).map(StateFollower.Snapshot::state);
    }
  }

  /** Whether the bucket has a record of the run or Temporal knows its workflow. */
  public boolean exists(String runId) {
    return new RunRecords(services.store()).exists(runId) || temporalStatus(runId).isPresent();
  }

  /**
   * The run's report JSON: built from the workflow's state while it runs, else the stored report; a
   * run without either (no worker answers the query, the run failed before its report, or its
   * workflow is lost) gets a report from its record and the epochs its activities left in the
   * bucket. A sweep's id gives its sweep report.
   */
  public Optional<JsonNode> report(String runId) {
    Optional<JsonNode> sweep = sweeps.report(runId);
    if (sweep.isPresent()) {
      return sweep;
    }
    Optional<RunStatus> status = temporalStatus(runId);
    if (status.isPresent() && status.get() == RunStatus.RUNNING) {
      Optional<RunState> state = runningState(runId);
      if (state.isPresent()) {
        return Optional.of(build(state.get()));
      }
    }
    try {
      return Optional.of(Json.tree(services.store().get(Keys.report(runId))));
    } catch (ObjectNotFoundException e) {
      // not written (yet)
    }
    if (status.isPresent() && status.get() != RunStatus.RUNNING) {
      Optional<RunState> state = new Launcher(services).query(runId);
      if (state.isPresent()) {
        return Optional.of(build(state.get()));
      }
    }
    Optional<RunRecord> record = new RunRecords(services.store()).find(runId);
    return record.map(
        r ->
            fromBucket(
                r,
                status.orElse(r.status()),
                status.isPresent() && status.get() == RunStatus.RUNNING
                    ? "no worker answers; epochs so far from the bucket (is a worker running?)"
                    : "no state from Temporal; last recorded status and epochs from the bucket"));
  }

  /**
   * A run's report from its record and what its activities left in the bucket (each finished
   * epoch's metrics): for a run whose workflow is gone, or that no worker answers for.
   */
  private ObjectNode fromBucket(RunRecord record, RunStatus status, String phase) {
    DatasetRef dataset = null;
    Map<String, ArmResult> arms = new LinkedHashMap<>();
    if (record.experiment() != null) {
      Optional<ResumePoint> point =
          new RunRecovery(services.store()).resumePoint(record.experiment());
      if (point.isPresent()) {
        dataset = point.get().dataset();
        for (Map.Entry<String, List<ResumePoint.EpochRecord>> arm : point.get().arms().entrySet()) {
          List<EpochMetrics> epochs =
              arm.getValue().stream()
                  .map(ResumePoint.EpochRecord::metrics)
                  .sorted(Comparator.comparingInt(EpochMetrics::epoch))
                  .toList();
          int best = 0;
          double bestLoss = Double.POSITIVE_INFINITY;
          for (EpochMetrics m : epochs) {
            if (m.epoch() > 0 && m.valLoss() < bestLoss) {
              bestLoss = m.valLoss();
              best = m.epoch();
            }
          }
          arms.put(
              arm.getKey(),
              new ArmResult(
                  Arm.parse(arm.getKey()),
                  status,
                  epochs,
                  best,
                  null,
                  null,
                  false,
                  null,
                  null,
                  null,
                  List.of()));
        }
      }
    }
    return build(
        new RunState(
            record.runId(),
            record.kind(),
            status,
            phase,
            dataset,
            arms,
            null,
            List.of(),
            null,
            null,
            null,
            null));
  }

  /** The object of the bucket under {@code key}, or {@code null}. */
  public byte[] object(String key) {
    try {
      return services.store().get(key);
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }

  /** The run's page in the Temporal web UI, when one is configured. */
  public Optional<String> temporalLink(String runId) {
    if (temporalUi == null) {
      return Optional.empty();
    }
    return Optional.of(
        temporalUi
            + "/namespaces/"
            + encode(services.options().namespace)
            + "/workflows/"
            + encode(runId));
  }

  private ObjectNode build(RunState state) {
    return new Reports(services.store()).build(state);
  }

  /**
   * The status of the run's workflow from Temporal (without a worker: a describe, not a query):
   * {@code RUNNING}, {@code COMPLETED}, {@code FAILED}, {@code CANCELED}, {@code TERMINATED},
   * {@code TIMED_OUT}; empty when Temporal does not know it or cannot be reached.
   */
  Optional<RunStatus> temporalStatus(String runId) {
    return statuses.of(runId).filter(status -> status != WorkflowStatuses.LOST);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
