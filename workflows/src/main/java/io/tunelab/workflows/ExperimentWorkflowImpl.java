package io.tunelab.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.ChallengeRequest;
import io.tunelab.workflows.model.ChampionDecision;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.Head;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.Phase;
import io.tunelab.workflows.model.ProbeTask;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.TableColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Orchestrates one experiment; all I/O and tensor work happens in activities. */
public class ExperimentWorkflowImpl extends ControlledRunImpl implements ExperimentWorkflow {

  private final Map<String, ArmLoop> loops = new LinkedHashMap<>();

  @Override
  public RunState run(ExperimentSpec spec) {
    return track(
        new RunTracker(spec.runId(), "experiment"),
        "run",
        () -> {
          activities.routeTraining(spec.finetune().device());
          run.phase = Phase.LOOKING_UP_MODEL.of(spec.pretrained());
          ModelInfo model =
              activities.registry("look up model " + spec.pretrained()).describe(spec.pretrained());
          run.pretrained = model;

          if (spec.resume() != null) {
            run.dataset = spec.resume().dataset();
          } else {
            ingest(
                new IngestRequest(
                    spec.source(),
                    spec.classes(),
                    spec.perClass(),
                    spec.finetune().seed(),
                    model.shape(),
                    false,
                    spec.finetune().augment(),
                    TableColumns.of(spec.columns()).label(),
                    TableColumns.of(spec.columns()).ignore(),
                    spec.clips(),
                    model.features()));
          }

          // A TorchScript model's archive is both its weights and its structure: both arms need
          // it.
          String moduleKey =
              ArmSpec.TORCHSCRIPT.equals(model.architecture()) ? model.parametersKey() : null;
          List<ArmSpec> arms = new ArrayList<>();
          arms.add(
              new ArmSpec(
                  spec.runId(),
                  Arm.FINETUNE,
                  model.architecture(),
                  spec.finetune(),
                  model.parametersKey(),
                  model.classes().size(),
                  moduleKey,
                  spec.finetune().head() == Head.REUSE ? model.classes() : null));
          if (spec.scratch()) {
            arms.add(
                new ArmSpec(
                    spec.runId(),
                    Arm.SCRATCH,
                    model.architecture(),
                    spec.scratchParams(),
                    null,
                    0,
                    moduleKey,
                    null));
          }
          run.phase = Phase.TRAINING.words();
          VisibilityUpdates visibility = VisibilityUpdates.start();
          List<Promise<ArmResult>> results = new ArrayList<>();
          for (ArmSpec arm : arms) {
            run.arm(ArmResult.pending(arm.arm()));
            ArmLoop loop = armLoop(arm, visibility);
            if (spec.resume() != null) {
              loop.resumingFrom(spec.resume().epochs(arm.arm()));
            }
            loops.put(arm.arm().wire(), loop);
            results.add(Async.function(loop::run));
          }
          Promise.allOf(results).get();

          ArmResult finetune = run.arm(Arm.FINETUNE);
          ArmResult scratch = run.arm(Arm.SCRATCH);
          int probing = Workflow.getVersion("diagnosis-probes", Workflow.DEFAULT_VERSION, 1);
          if (probing >= 1 && !spec.skipProbes() && finetune.status() == RunStatus.COMPLETED) {
            run.phase = Phase.PROBING.words();
            try {
              log.info(
                  "probes: {}",
                  activities
                      .probes("diagnosis probes of the fine-tuned model")
                      .probe(
                          new ProbeTask(
                              arms.get(0), run.dataset, model, finetune.bestCheckpointKey())));
            } catch (ActivityFailure failure) {
              if (failure.getCause() instanceof CanceledFailure) {
                throw failure;
              }
              log.warn("probes failed, diagnosing without them: {}", Failures.message(failure));
            }
          }
          if (scratch != null && finetune.test() != null && scratch.test() != null) {
            run.phase = Phase.COMPARING.words();
            run.comparison =
                activities
                    .reports("compare fine-tune and scratch on the test split")
                    .compare(finetune.test(), scratch.test());
          }
          run.phase = Phase.DIAGNOSING.words();
          run.findings = activities.reports("diagnose the run").diagnose(run.snapshot());
          if (finetune.status() != RunStatus.COMPLETED) {
            throw ArmLoop.armFailure(finetune);
          }
          if ("watch".equals(spec.trigger())) {
            challengeChampion(spec, model, finetune);
          }
        });
  }

  /**
   * A run started by a watcher challenges the champion of the model it fine-tuned: the fine-tuned
   * model is promoted when it beats the champion on this run's test split. Only runs with trigger
   * {@code watch} reach this, and no history recorded before it has one, so it replays; the version
   * marker says so all the same.
   */
  private void challengeChampion(ExperimentSpec spec, ModelInfo model, ArmResult finetune) {
    int challenging = Workflow.getVersion("champion-challenger", Workflow.DEFAULT_VERSION, 1);
    if (challenging < 1 || finetune.test() == null || finetune.bestCheckpointKey() == null) {
      return;
    }
    run.phase = Phase.CHALLENGING.of(spec.pretrained());
    try {
      ChampionDecision decision =
          activities
              .champions("challenge the champion of " + spec.pretrained())
              .challenge(
                  new ChallengeRequest(
                      spec.pretrained(),
                      spec.runId(),
                      spec.datasetName(),
                      spec.datasetVersion(),
                      run.dataset,
                      model.architecture(),
                      finetune.bestCheckpointKey(),
                      finetune.test(),
                      spec.finetune().device()));
      log.info(
          "champion of {}: {} ({})",
          spec.pretrained(),
          decision.promoted() ? "promoted run " + spec.runId() : "kept",
          decision.reason());
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure) {
        throw failure;
      }
      log.warn("champion challenge failed; the champion stays: {}", Failures.message(failure));
    }
  }
}
