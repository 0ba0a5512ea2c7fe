package io.tunelab.workflows;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.Phase;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RegisterRequest;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TableColumns;
import java.util.List;

/** Orchestrates pretraining: ingest, train from scratch, test, register. */
public class PretrainWorkflowImpl extends ControlledRunImpl implements PretrainWorkflow {

  @Override
  public RunState pretrain(PretrainSpec spec) {
    return track(
        new RunTracker(spec.runId(), "pretrain"),
        "pretrain",
        () -> {
          activities.routeTraining(spec.params().device());
          SampleShape shape = SampleShape.image(1, spec.imageSize(), spec.imageSize());
          ingest(
              new IngestRequest(
                  spec.source(),
                  spec.classes(),
                  spec.perClass(),
                  spec.params().seed(),
                  shape,
                  true,
                  spec.params().augment(),
                  TableColumns.of(spec.columns()).label(),
                  TableColumns.of(spec.columns()).ignore(),
                  spec.clips(),
                  List.of()));

          run.phase = Phase.TRAINING.words();
          ArmSpec arm =
              new ArmSpec(
                  spec.runId(),
                  Arm.PRETRAIN,
                  spec.architecture(),
                  spec.params(),
                  null,
                  0,
                  null,
                  null);
          run.arm(ArmResult.pending(arm.arm()));
          VisibilityUpdates visibility = VisibilityUpdates.start();
          ArmResult result = armLoop(arm, visibility).run();

          run.phase = Phase.DIAGNOSING.words();
          run.findings = activities.reports("diagnose the run").diagnose(run.snapshot());
          if (result.status() != RunStatus.COMPLETED) {
            throw ArmLoop.armFailure(result);
          }
          run.phase = Phase.REGISTERING.of(spec.name());
          run.registered =
              activities
                  .registry("register model " + spec.name())
                  .register(
                      new RegisterRequest(
                          spec.name(),
                          spec.architecture(),
                          run.dataset.shape(),
                          run.dataset.classes(),
                          result.bestCheckpointKey(),
                          run.dataset.ingestId(),
                          result.test().acc(),
                          spec.runId()));
        });
  }
}
