package io.tunelab.workflows;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.tunelab.workflows.activities.ReportActivities;
import io.tunelab.workflows.activities.SweepActivities;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.MemberStart;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepMember;
import io.tunelab.workflows.model.SweepOutcome;
import io.tunelab.workflows.model.SweepProgress;
import io.tunelab.workflows.model.SweepSpec;
import io.tunelab.workflows.model.SweepState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Runs a sweep's members as child workflows (each a normal experiment whose id is the member's), at
 * most {@code maxParallel} at once, then writes the comparative report. After starting {@code
 * membersPerHistory} members it waits for those in flight and continues as new, so its history
 * stays small however many members there are.
 */
public class SweepWorkflowImpl implements SweepWorkflow {
  /** How long a canceled sweep waits for its members to end before writing its report. */
  private static final Duration CANCEL_GRACE = Duration.ofMinutes(10);

  private final Logger log = Workflow.getLogger(SweepWorkflowImpl.class);
  private final Map<String, SweepState.Member> members = new LinkedHashMap<>();
  private final Set<String> inFlight = new LinkedHashSet<>();
  private SweepSpec spec;
  private RunStatus status = RunStatus.RUNNING;
  private String phase = "starting";
  private boolean paused;
  private SweepOutcome outcome;
  private String error;

  @Override
  public SweepState run(SweepSpec spec, SweepProgress progress) {
    this.spec = spec;
    List<SweepMember> order = spec.members();
    for (SweepMember m : order) {
      members.put(
          m.runId(), new SweepState.Member(m.runId(), m.config(), m.seed(), RunStatus.PENDING));
    }
    List<RunStatus> ended = progress == null ? List.of() : progress.ended();
    paused = progress != null && progress.paused();
    for (int i = 0; i < ended.size(); i++) {
      mark(order.get(i).runId(), ended.get(i));
    }
    try {
      int startedHere = 0;
      for (int next = ended.size(); next < order.size(); next++) {
        if (startedHere == spec.membersPerHistory()) {
          continueAsNew(order, next);
        }
        phase = "running members";
        Workflow.await(() -> !paused && inFlight.size() < spec.maxParallel());
        start(order.get(next));
        startedHere++;
      }
      phase = "waiting for the last members";
      Workflow.await(inFlight::isEmpty);
      return end(
          members.values().stream().anyMatch(m -> m.status() == RunStatus.COMPLETED)
              ? RunStatus.COMPLETED
              : RunStatus.FAILED,
          null);
    } catch (CanceledFailure canceled) {
      Workflow.newDetachedCancellationScope(() -> endAfterMembers(RunStatus.CANCELED, "canceled"))
          .run();
      throw canceled;
    } catch (ActivityFailure failure) {
      String message = Failures.message(failure);
      Workflow.newDetachedCancellationScope(() -> endAfterMembers(RunStatus.FAILED, message)).run();
      throw ApplicationFailure.newNonRetryableFailure(message, "SweepFailed");
    }
  }

  /**
   * Records the member and starts its experiment as a child workflow, unless it has already ended
   * (a sweep resumed from the bucket); returns once the child has started.
   */
  private void start(SweepMember member) {
    MemberStart start =
        sweeps("prepare member " + member.runId())
            .prepareMember(spec.sweepId(), spec.experiment(member));
    if (!start.starts()) {
      mark(member.runId(), start.ended());
      return;
    }
    ExperimentWorkflow child =
        Workflow.newChildWorkflowStub(
            ExperimentWorkflow.class, childOptions(member, start.experiment()));
    Promise<RunState> result = Async.function(child::run, start.experiment());
    inFlight.add(member.runId());
    mark(member.runId(), RunStatus.RUNNING);
    result.handle(
        (state, failure) -> {
          mark(member.runId(), failure == null ? state.status() : endStatus(failure));
          inFlight.remove(member.runId());
          return null;
        });
    try {
      Workflow.getWorkflowExecution(child).get();
    } catch (ChildWorkflowFailure notStarted) {
      log.warn("member {} did not start: {}", member.runId(), Failures.message(notStarted));
      return;
    }
    if (paused) {
      signal(member.runId(), true);
    }
  }

  private ChildWorkflowOptions childOptions(SweepMember member, ExperimentSpec experiment) {
    ChildWorkflowOptions.Builder b =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(member.runId())
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .setMemo(Visibility.memo(experiment, spec, member))
            .setStaticSummary(Visibility.summary(spec, member));
    if (Workflow.getTypedSearchAttributes().containsKey(Visibility.KIND)) {
      b.setTypedSearchAttributes(Visibility.atStart(experiment, spec.sweepId()));
    }
    return b.build();
  }

  /** Continues as new once the members in flight have ended, carrying their end statuses. */
  private void continueAsNew(List<SweepMember> order, int next) {
    phase = "waiting for members before continuing as new";
    Workflow.await(inFlight::isEmpty);
    List<RunStatus> ended = new ArrayList<>();
    for (int i = 0; i < next; i++) {
      ended.add(members.get(order.get(i).runId()).status());
    }
    log.info("sweep {}: {} members started; continuing as new", spec.sweepId(), next);
    Workflow.continueAsNew(spec, new SweepProgress(ended, paused));
  }

  /** Waits (a while) for the members in flight to end, then ends the sweep. */
  private void endAfterMembers(RunStatus s, String why) {
    phase = "waiting for members to end";
    Workflow.await(CANCEL_GRACE, inFlight::isEmpty);
    end(s, why);
  }

  /** Writes the report, records the sweep's end and returns its final state. */
  private SweepState end(RunStatus s, String why) {
    status = s;
    error = why;
    phase = "writing report";
    outcome =
        sweeps("write the report of sweep " + spec.sweepId()).writeSweepReport(spec.sweepId(), s);
    ActivityStubs.summarized(
            ReportActivities.class,
            ActivityStubs.io(),
            "record " + spec.sweepId() + " as " + s.wire())
        .finishRun(spec.sweepId(), s);
    phase = s == RunStatus.COMPLETED ? "done" : s.wire().toLowerCase(java.util.Locale.ROOT);
    Workflow.setCurrentDetails(details());
    return state();
  }

  private void mark(String runId, RunStatus s) {
    SweepState.Member m = members.get(runId);
    members.put(runId, new SweepState.Member(m.runId(), m.config(), m.seed(), s));
    Workflow.setCurrentDetails(details());
  }

  /** The current details Temporal's UI shows: member counts, then the verdict. */
  private String details() {
    SweepState now = state();
    StringBuilder b = new StringBuilder();
    for (RunStatus s : RunStatus.values()) {
      long n = now.count(s);
      if (n > 0) {
        b.append(b.length() == 0 ? "members: " : ", ").append(n).append(' ').append(s.wire());
      }
    }
    if (outcome != null && outcome.headline() != null) {
      b.append('\n').append(outcome.headline());
    }
    return b.toString();
  }

  /** The sweep's activities, with the summary Temporal's UI shows for the call. */
  private static SweepActivities sweeps(String summary) {
    return ActivityStubs.summarized(SweepActivities.class, ActivityStubs.io(), summary);
  }

  private static RunStatus endStatus(Throwable failure) {
    Throwable cause = failure instanceof ChildWorkflowFailure ? failure.getCause() : failure;
    if (cause instanceof CanceledFailure) {
      return RunStatus.CANCELED;
    }
    if (cause instanceof TerminatedFailure) {
      return RunStatus.TERMINATED;
    }
    if (cause instanceof TimeoutFailure) {
      return RunStatus.TIMED_OUT;
    }
    return RunStatus.FAILED;
  }

  private void signal(String runId, boolean pause) {
    ExperimentWorkflow member = Workflow.newExternalWorkflowStub(ExperimentWorkflow.class, runId);
    if (pause) {
      Async.procedure(member::pause);
    } else {
      Async.procedure(member::unpause);
    }
  }

  @Override
  public SweepState state() {
    return new SweepState(
        spec == null ? null : spec.sweepId(),
        status,
        paused && status == RunStatus.RUNNING ? "PAUSED: " + phase : phase,
        paused,
        new ArrayList<>(members.values()),
        outcome,
        error);
  }

  @Override
  public void pause() {
    paused = true;
    inFlight.forEach(id -> signal(id, true));
  }

  @Override
  public void unpause() {
    paused = false;
    inFlight.forEach(id -> signal(id, false));
  }
}
