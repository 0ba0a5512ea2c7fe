package io.tunelab.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import io.tunelab.workflows.activities.DatasetActivities;
import io.tunelab.workflows.activities.RegistryActivities;
import io.tunelab.workflows.activities.ReportActivities;
import io.tunelab.workflows.activities.TrainingActivities;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.ImageShape;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RegisterRequest;
import io.tunelab.workflows.model.RunState;
import org.slf4j.Logger;

/** Orchestrates pretraining: ingest, train from scratch, test, register. */
public class PretrainWorkflowImpl implements PretrainWorkflow {
  private static final Logger log = Workflow.getLogger(PretrainWorkflowImpl.class);

  private final RegistryActivities registry =
      Workflow.newActivityStub(RegistryActivities.class, ActivityStubs.io());
  private final DatasetActivities datasets =
      Workflow.newActivityStub(DatasetActivities.class, ActivityStubs.ingest());
  private final ActivityOptions trainingOptions =
      ActivityStubs.training(TaskQueues.training(Workflow.getInfo().getTaskQueue()));
  private final ReportActivities reports =
      Workflow.newActivityStub(ReportActivities.class, ActivityStubs.io());

  private final RunControl control = new RunControl();
  private RunTracker run;

  @Override
  public RunState pretrain(PretrainSpec spec) {
    run = new RunTracker(spec.runId(), "pretrain");
    try {
      run.phase = "ingesting " + spec.source();
      ImageShape shape = new ImageShape(1, spec.imageSize(), spec.imageSize());
      run.dataset = datasets.ingest(new IngestRequest(spec.source(), spec.classes(),
          spec.perClass(), spec.params().seed(), shape, true,
          spec.params().augment()));

      run.phase = "training";
      ArmSpec arm = new ArmSpec(spec.runId(), "pretrain", spec.architecture(), spec.params(), null, 0);
      run.arm(ArmResult.pending(arm.arm()));
      VisibilityUpdates visibility = VisibilityUpdates.start();
      ArmResult result = new ArmLoop(this::training, control, arm, run.dataset, r -> {
        run.arm(r);
        visibility.armUpdated(r, arm.params().epochs());
      }).run();

      run.phase = "diagnosing";
      run.findings = reports.diagnose(run.snapshot());
      if (!"COMPLETED".equals(result.status())) {
        throw ArmLoop.armFailure(result);
      }
      run.phase = "registering " + spec.name();
      run.registered = registry.register(new RegisterRequest(spec.name(), spec.architecture(),
          run.dataset.shape(), run.dataset.classes(), result.bestCheckpointKey(),
          run.dataset.ingestId(), result.test().acc(), spec.runId()));
      run.status = "COMPLETED";
      run.phase = "writing report";
      run.reportKey = reports.writeReport(run.snapshot());
      reports.finishRun(spec.runId(), run.status);
      run.phase = "done";
      return run.snapshot();
    } catch (CanceledFailure canceled) {
      finish("CANCELED", "canceled");
      throw canceled;
    } catch (ActivityFailure failure) {
      if (canceledDuring(failure)) {
        finish("CANCELED", "canceled");
        throw new CanceledFailure("run canceled");
      }
      finish("FAILED", Failures.message(failure));
      String type = Failures.type(failure);
      throw ApplicationFailure.newNonRetryableFailure(Failures.message(failure),
          type == null ? "RunFailed" : type);
    } catch (ApplicationFailure failure) {
      finish("FAILED", failure.getOriginalMessage());
      throw failure;
    }
  }

  private void finish(String status, String error) {
    run.status = status;
    run.error = error;
    run.phase = status.toLowerCase();
    log.warn("pretrain {} ended {}: {}", run.snapshot().runId(), status, error);
    Workflow.newDetachedCancellationScope(() -> {
      run.reportKey = reports.writeReport(run.snapshot());
      reports.finishRun(run.snapshot().runId(), status);
    }).run();
  }

  private TrainingActivities training(String summary) {
    return Workflow.newActivityStub(TrainingActivities.class,
        ActivityOptions.newBuilder(trainingOptions).setSummary(summary).build());
  }

  /**
   * Whether an activity failed because the run was canceled while it ran (an epoch in flight):
   * the run then ends CANCELED, not FAILED. Runs recorded before this check replay as they ran.
   */
  private static boolean canceledDuring(ActivityFailure failure) {
    boolean canceled = failure.getCause() instanceof CanceledFailure
        || CancellationScope.current().isCancelRequested();
    return canceled && Workflow.getVersion("canceled-during-activity", Workflow.DEFAULT_VERSION, 1) >= 1;
  }

  @Override
  public RunState state() {
    return run == null ? null : run.snapshot(control);
  }

  @Override
  public void stopArm(String arm) {
    control.requestStop(arm);
  }

  @Override
  public void pause() {
    control.pause();
  }

  @Override
  public void unpause() {
    control.unpause();
  }
}
