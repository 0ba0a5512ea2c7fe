package io.tunelab.cli;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.tunelab.runs.RunRecords;
import io.tunelab.workflows.ActivityStubs;
import io.tunelab.workflows.ExperimentWorkflow;
import io.tunelab.workflows.Failures;
import io.tunelab.workflows.PretrainWorkflow;
import io.tunelab.workflows.StartOptions;
import io.tunelab.workflows.SweepWorkflow;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepMember;
import io.tunelab.workflows.model.SweepProgress;
import io.tunelab.workflows.model.SweepSpec;
import io.tunelab.workflows.model.SweepState;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts runs as workflows and follows them to their end. */
public final class Launcher {
  /** Seconds between looks at a running run when its progress goes to a log, not a terminal. */
  static final long NON_LIVE_POLL_SECONDS = 5;

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Services services;

  public Launcher(Services services) {
    this.services = services;
  }

  /** A fresh run id such as {@code run-20261123-061500-4f2a}. */
  public static String newRunId(String prefix) {
    return String.format(
        "%s-%s-%04x", prefix, ID_TIME.format(Instant.now()), RANDOM.nextInt(0x10000));
  }

  /** Records and starts an experiment; refuses a run id already in use. */
  public void startExperiment(ExperimentSpec spec) {
    RunRecord record = RunRecord.experiment(spec, null, Instant.now().toString());
    start(
        record,
        () ->
            WorkflowClient.start(
                services.temporal().newWorkflowStub(ExperimentWorkflow.class, options(spec))::run,
                spec));
  }

  /**
   * An experiment's options: its id, and what Temporal's UI shows of it (memo, search attributes,
   * summary).
   */
  private WorkflowOptions options(ExperimentSpec spec) {
    return options(StartOptions.experiment(spec, searchAttributes()));
  }

  /** A pretraining run's options, likewise. */
  private WorkflowOptions options(PretrainSpec spec) {
    return options(StartOptions.pretrain(spec, searchAttributes()));
  }

  /** Whether runs may carry the search attributes: only where they are registered. */
  private boolean searchAttributes() {
    return SearchAttributeSetup.ensure(services.temporal());
  }

  /**
   * Starts the workflow of an experiment already recorded in the bucket again, continuing from its
   * resume point; the old execution, if Temporal still knows it, must have ended.
   */
  public void restartExperiment(ExperimentSpec spec) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder(options(spec))
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .build();
    ExperimentWorkflow workflow =
        services.temporal().newWorkflowStub(ExperimentWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::run, spec);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new UsageException("run '" + spec.runId() + "' is still running; nothing to resume");
    }
    RunRecords records = new RunRecords(services.store());
    records.find(spec.runId()).ifPresent(r -> records.save(r.finished(RunStatus.RUNNING, null)));
  }

  /**
   * Records and starts a sweep; refuses a sweep id already in use, and one whose member ids a run
   * already has.
   */
  public void startSweep(SweepSpec spec) {
    services.temporal();
    RunRecords records = new RunRecords(services.store());
    for (SweepMember member : spec.members()) {
      if (records.exists(member.runId())) {
        throw new UsageException(
            "--name "
                + spec.sweepId()
                + ": its member id '"
                + member.runId()
                + "' is already a run's; choose another name");
      }
    }
    start(
        RunRecord.sweep(spec, Instant.now().toString()),
        () ->
            WorkflowClient.start(
                services.temporal().newWorkflowStub(SweepWorkflow.class, options(spec))::run,
                spec,
                SweepProgress.none()));
  }

  /**
   * Starts the workflow of a sweep recorded in the bucket again: members that ended stay as they
   * are, the others start or continue from their checkpoints.
   */
  public void restartSweep(SweepSpec spec) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder(options(spec))
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .build();
    try {
      WorkflowClient.start(
          services.temporal().newWorkflowStub(SweepWorkflow.class, options)::run,
          spec,
          SweepProgress.none());
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new UsageException(
          "sweep '" + spec.sweepId() + "' is still running; nothing to resume");
    }
    RunRecords records = new RunRecords(services.store());
    records.find(spec.sweepId()).ifPresent(r -> records.save(r.finished(RunStatus.RUNNING, null)));
  }

  /** A sweep's options, with what the UI shows of it. */
  private WorkflowOptions options(SweepSpec spec) {
    return options(StartOptions.sweep(spec, searchAttributes()));
  }

  /** The sweep's state from its workflow, when the workflow is known to Temporal. */
  public Optional<SweepState> querySweep(String sweepId) {
    try {
      return Optional.ofNullable(
          services.temporal().newUntypedWorkflowStub(sweepId).query("state", SweepState.class));
    } catch (UnreachableException e) {
      throw e;
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Follows a sweep to its end, showing its members' progress, and returns its final state.
   *
   * @throws RunFailedException when the sweep failed or was canceled
   */
  public SweepState awaitSweep(String sweepId, SweepProgressView view) {
    CompletableFuture<SweepState> result =
        services.temporal().newUntypedWorkflowStub(sweepId).getResultAsync(SweepState.class);
    long pollSeconds = view.live() ? 1 : NON_LIVE_POLL_SECONDS;
    while (true) {
      try {
        SweepState done = result.get(pollSeconds, TimeUnit.SECONDS);
        view.update(done);
        return done;
      } catch (TimeoutException e) {
        querySweep(sweepId).ifPresent(view::update);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RunFailedException(
            "interrupted while waiting for "
                + sweepId
                + " (the sweep goes on; follow it with 'tunelab status "
                + sweepId
                + "')");
      } catch (ExecutionException e) {
        querySweep(sweepId).ifPresent(view::update);
        throw new RunFailedException("sweep " + sweepId + " " + Failures.message(e.getCause()));
      }
    }
  }

  /** Records and starts a pretraining run. */
  public void startPretrain(PretrainSpec spec) {
    RunRecord record =
        new RunRecord(
            spec.runId(),
            "pretrain",
            RunStatus.RUNNING,
            spec.source(),
            null,
            "cli",
            Instant.now().toString(),
            null,
            null,
            spec,
            null,
            null);
    start(
        record,
        () ->
            WorkflowClient.start(
                services.temporal().newWorkflowStub(PretrainWorkflow.class, options(spec))
                    ::pretrain,
                spec));
  }

  /**
   * Records a new run, then starts its workflow with {@code start}; refuses a run id already in
   * use. Temporal is connected before anything is recorded.
   */
  private void start(RunRecord record, Runnable start) {
    services.temporal();
    claim(record);
    try {
      start.run();
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new UsageException("run name '" + record.runId() + "' is already in use");
    }
  }

  private void claim(RunRecord record) {
    RunRecords records = new RunRecords(services.store());
    if (records.exists(record.runId())) {
      throw new UsageException(
          "run name '"
              + record.runId()
              + "' is already in use "
              + "(see 'tunelab status "
              + record.runId()
              + "')");
    }
    records.save(record);
  }

  /** A run's options: what the UI shows, on this client's task queue, its id never reused. */
  private WorkflowOptions options(WorkflowOptions.Builder legible) {
    return legible
        .setTaskQueue(services.options().taskQueue)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .build();
  }

  /** The run's state from its workflow, when the workflow is known to Temporal. */
  public Optional<RunState> query(String runId) {
    try {
      return Optional.ofNullable(
          services.temporal().newUntypedWorkflowStub(runId).query("state", RunState.class));
    } catch (UnreachableException e) {
      throw e;
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Follows a run to its end, showing progress, and returns its final state.
   *
   * @throws UsageException when the run failed on bad input
   * @throws RunFailedException when the run failed or was canceled
   */
  public RunState await(String runId, ProgressView view) {
    WorkflowStub stub = services.temporal().newUntypedWorkflowStub(runId);
    CompletableFuture<RunState> result = stub.getResultAsync(RunState.class);
    StateFollower follower = follower();
    // A live bar redraws every second; a log (a pipe, a file) gets a line per epoch, for which a
    // look every few seconds is enough and costs the training cores less.
    long pollSeconds = view.live() ? 1 : NON_LIVE_POLL_SECONDS;
    while (true) {
      try {
        RunState done = result.get(pollSeconds, TimeUnit.SECONDS);
        view.finish(done);
        return done;
      } catch (TimeoutException e) {
        // Step progress only feeds the live bar, not a log or a pipe.
        follower
            .poll(runId)
            .ifPresent(now -> view.update(now.state(), view.live() ? now.steps() : List.of()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RunFailedException(
            "interrupted while waiting for "
                + runId
                + " (the run goes on; follow it with 'tunelab status "
                + runId
                + "')");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        query(runId).ifPresent(view::finish);
        String message = Failures.message(cause);
        if (cause instanceof WorkflowFailedException
            && ActivityStubs.BAD_INPUT.equals(Failures.type(cause))) {
          throw new UsageException(message);
        }
        throw new RunFailedException("run " + runId + " failed: " + message);
      }
    }
  }

  /** A follower of runs' states through this launcher's Temporal client. */
  public StateFollower follower() {
    return new StateFollower(this::describe, this::query);
  }

  /**
   * The workflow's history length and the progress of its activities in flight: step progress of
   * the training activities (maps with {@code arm}) and image progress of an ingest (maps with
   * {@code stage}).
   */
  public StateFollower.Execution describe(String runId) {
    List<Map<String, Object>> steps = new ArrayList<>();
    try {
      DescribeWorkflowExecutionResponse response =
          WorkflowStatuses.describe(services.temporal(), runId);
      DataConverter converter = DefaultDataConverter.newDefaultInstance();
      for (PendingActivityInfo info : response.getPendingActivitiesList()) {
        if (info.hasHeartbeatDetails() && info.getHeartbeatDetails().getPayloadsCount() > 0) {
          Object details =
              converter.fromPayloads(
                  0, Optional.of(info.getHeartbeatDetails()), Object.class, Object.class);
          progress(details).ifPresent(steps::add);
        }
      }
      long length = response.getWorkflowExecutionInfo().getHistoryLength();
      return new StateFollower.Execution(length > 0 ? length : -1, steps);
    } catch (RuntimeException e) {
      // progress is a hint; the epoch metrics in the state are what counts
      return new StateFollower.Execution(-1, steps);
    }
  }

  /**
   * The heartbeat details of an activity as progress the view can show: a map with {@code arm} (an
   * epoch's steps) or {@code stage} (an ingest's images); anything else (older workers heartbeat
   * plain strings) is not progress.
   */
  @SuppressWarnings("unchecked")
  static Optional<Map<String, Object>> progress(Object details) {
    if (details instanceof Map<?, ?> map && (map.containsKey("arm") || map.containsKey("stage"))) {
      return Optional.of((Map<String, Object>) map);
    }
    return Optional.empty();
  }
}
