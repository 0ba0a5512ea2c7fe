package io.tunelab.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.tunelab.workflows.activities.TrainingActivities;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.EvaluationTask;
import io.tunelab.workflows.model.TestMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The epoch loop of one arm, run inside a workflow: one training activity per epoch, best
 * epoch by validation loss, early stopping, then a test evaluation of the best checkpoint.
 * Every decision lives here, in workflow state, so it survives any worker's death.
 */
final class ArmLoop {
  private static final Logger log = Workflow.getLogger(ArmLoop.class);

  private final TrainingActivities training;
  private final ArmSpec spec;
  private final DatasetRef dataset;
  private final Consumer<ArmResult> publish;
  private boolean stopRequested;

  ArmLoop(TrainingActivities training, ArmSpec spec, DatasetRef dataset, Consumer<ArmResult> publish) {
    this.training = training;
    this.spec = spec;
    this.dataset = dataset;
    this.publish = publish;
  }

  /** Asks the loop to stop at the next epoch boundary, keeping its best checkpoint. */
  void requestStop() {
    stopRequested = true;
  }

  ArmResult run() {
    String arm = spec.arm();
    List<EpochMetrics> epochs = new ArrayList<>();
    int bestEpoch = 0;
    double bestLoss = Double.POSITIVE_INFINITY;
    String bestKey = null;
    String lastKey = null;
    Integer resumedFrom = null;
    boolean stoppedEarly = false;
    String error = null;
    int patience = spec.params().earlyStoppingPatience();

    publish.accept(new ArmResult(arm, "RUNNING", epochs, 0, null, null, false, null, null, null));
    for (int epoch = 1; epoch <= spec.params().epochs(); epoch++) {
      if (stopRequested) {
        stoppedEarly = true;
        break;
      }
      double lr = LearningRateSchedule.forEpoch(spec.params(), epoch, epochs);
      EpochResult result;
      try {
        result = training.trainEpoch(new EpochTask(spec, dataset, epoch, lr, lastKey));
      } catch (ActivityFailure failure) {
        if (failure.getCause() instanceof CanceledFailure) {
          throw failure;
        }
        error = "epoch " + epoch + " failed: " + Failures.message(failure);
        log.warn("arm {} {}", arm, error);
        break;
      }
      EpochMetrics m = result.metrics();
      epochs.add(m);
      if (result.checkpointKey() != null) {
        lastKey = result.checkpointKey();
      }
      if (result.resumedFromEpoch() != null && resumedFrom == null) {
        resumedFrom = result.resumedFromEpoch();
      }
      if (m.diverged()) {
        error = "training diverged in epoch " + epoch + " (loss is NaN or infinite)";
        publish.accept(new ArmResult(arm, "RUNNING", epochs, bestEpoch, bestKey, lastKey,
            false, resumedFrom, null, null));
        break;
      }
      if (m.valLoss() < bestLoss) {
        bestLoss = m.valLoss();
        bestEpoch = epoch;
        bestKey = lastKey;
      }
      publish.accept(new ArmResult(arm, "RUNNING", epochs, bestEpoch, bestKey, lastKey,
          false, resumedFrom, null, null));
      if (patience > 0 && epoch - bestEpoch >= patience && epoch < spec.params().epochs()) {
        stoppedEarly = true;
        log.info("arm {} stops early at epoch {}: no improvement since epoch {}", arm, epoch, bestEpoch);
        break;
      }
    }

    if (bestKey == null) {
      ArmResult failed = new ArmResult(arm, "FAILED", epochs, 0, null, lastKey, stoppedEarly,
          resumedFrom, null, error == null ? "no epoch finished" : error);
      publish.accept(failed);
      return failed;
    }
    TestMetrics test;
    try {
      test = training.evaluate(new EvaluationTask(spec, dataset, bestKey, "test"));
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure) {
        throw failure;
      }
      ArmResult failed = new ArmResult(arm, "FAILED", epochs, bestEpoch, bestKey, lastKey,
          stoppedEarly, resumedFrom, null, "test evaluation failed: " + Failures.message(failure));
      publish.accept(failed);
      return failed;
    }
    ArmResult done = new ArmResult(arm, "COMPLETED", epochs, bestEpoch, bestKey, lastKey,
        stoppedEarly, resumedFrom, test, error);
    publish.accept(done);
    return done;
  }

  /** Makes a non-retryable failure carrying an arm's error. */
  static ApplicationFailure armFailure(ArmResult result) {
    return ApplicationFailure.newNonRetryableFailure(
        "arm " + result.arm() + " failed: " + result.error(), "ArmFailed");
  }
}
