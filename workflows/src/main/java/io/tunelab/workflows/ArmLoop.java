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
import io.tunelab.workflows.model.ResumePoint;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.TestMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The epoch loop of one arm, run inside a workflow: one training activity per epoch, best epoch by
 * validation loss, early stopping, then a test evaluation of the best checkpoint. Every decision
 * lives here, in workflow state, so it survives any worker's death. A checkpoint found corrupt is
 * not trusted: its epoch is trained again from the checkpoint before it, and the arm's notes say
 * so.
 */
final class ArmLoop {
  private static final Logger log = Workflow.getLogger(ArmLoop.class);

  /** How many corrupt checkpoints one arm recovers from before it gives up. */
  static final int MAX_RECOVERIES = 3;

  private final Function<String, TrainingActivities> training;
  private final RunControl control;
  private final ArmSpec spec;
  private final DatasetRef dataset;
  private final Consumer<ArmResult> publish;
  private final List<EpochMetrics> epochs = new ArrayList<>();
  private final Map<Integer, String> checkpoints = new HashMap<>();
  private final List<String> notes = new ArrayList<>();
  private int bestEpoch;
  private double bestLoss = Double.POSITIVE_INFINITY;
  private Integer resumedFrom;
  private boolean stoppedEarly;

  /**
   * @param training the training activities, given the summary the call shows in Temporal's UI
   * @param control the run's stop and pause requests
   */
  ArmLoop(
      Function<String, TrainingActivities> training,
      RunControl control,
      ArmSpec spec,
      DatasetRef dataset,
      Consumer<ArmResult> publish) {
    this.training = training;
    this.control = control;
    this.spec = spec;
    this.dataset = dataset;
    this.publish = publish;
  }

  /**
   * Continues from epochs already trained (by a workflow that was lost): their metrics count as
   * this arm's, and training goes on after the last one that has a checkpoint.
   */
  ArmLoop resumingFrom(List<ResumePoint.EpochRecord> done) {
    int last = 0;
    for (ResumePoint.EpochRecord record : done) {
      if (record.checkpointKey() != null) {
        last = Math.max(last, record.metrics().epoch());
      }
    }
    for (ResumePoint.EpochRecord record : done) {
      if (record.metrics().epoch() <= last) {
        epochs.add(record.metrics());
        if (record.checkpointKey() != null) {
          checkpoints.put(record.metrics().epoch(), record.checkpointKey());
        }
      }
    }
    forget(last + 1);
    if (last > 0) {
      resumedFrom = last;
      notes.add(
          "resumed from the bucket's records after epoch "
              + last
              + " (the run's workflow had been lost)");
    }
    return this;
  }

  ArmResult run() {
    String arm = spec.arm().wire();
    String error = null;
    int patience = spec.params().earlyStoppingPatience();
    int recoveries = 0;

    publish(RunStatus.RUNNING, null, null);
    int epoch = epochs.isEmpty() ? 1 : epochs.get(epochs.size() - 1).epoch() + 1;
    while (epoch <= spec.params().epochs()) {
      // The epoch boundary: a paused run waits here; a stop ends the arm here, once it has an
      // epoch (and so a checkpoint) to keep.
      if (control.paused() && !control.stopRequested(arm)) {
        control.awaitUnpaused(arm);
      }
      if (control.stopRequested(arm) && !epochs.isEmpty()) {
        stoppedEarly = true;
        notes.add(
            "stopped on request after epoch "
                + (epoch - 1)
                + " of "
                + spec.params().epochs()
                + "; best checkpoint kept (epoch "
                + bestEpoch
                + ")");
        log.info("arm {} stops on request after epoch {}", arm, epoch - 1);
        break;
      }
      double lr = LearningRateSchedule.forEpoch(spec.params(), epoch, epochs);
      EpochResult result;
      try {
        result =
            training
                .apply(Visibility.epochSummary(arm, epoch, spec.params().epochs(), epochs))
                .trainEpoch(
                    new EpochTask(
                        spec,
                        dataset,
                        epoch,
                        lr,
                        checkpoints.get(epoch - 1),
                        checkpoints.get(bestEpoch)));
      } catch (ActivityFailure failure) {
        if (failure.getCause() instanceof CanceledFailure) {
          throw failure;
        }
        if (TrainingFailures.CORRUPT_CHECKPOINT.equals(Failures.type(failure))
            && epoch > 1
            && recoveries < MAX_RECOVERIES) {
          recoveries++;
          int bad = epoch - 1;
          notes.add(
              "checkpoint of epoch "
                  + bad
                  + " was corrupt ("
                  + Failures.message(failure)
                  + "); epoch "
                  + bad
                  + " was trained again from "
                  + (bad == 1 ? "the start" : "the checkpoint of epoch " + (bad - 1)));
          log.warn("arm {}: {}", arm, notes.get(notes.size() - 1));
          forget(bad);
          epoch = bad;
          continue;
        }
        error = "epoch " + epoch + " failed: " + Failures.message(failure);
        log.warn("arm {} {}", arm, error);
        break;
      }
      EpochMetrics m = result.metrics();
      epochs.add(m);
      if (result.deviceNote() != null && !notes.contains(result.deviceNote())) {
        notes.add(result.deviceNote());
      }
      if (result.resumedFromEpoch() != null && resumedFrom == null) {
        resumedFrom = result.resumedFromEpoch();
      }
      if (result.resumedAtStep() != null) {
        notes.add(
            "epoch "
                + epoch
                + " continued from its in-epoch checkpoint at step "
                + result.resumedAtStep()
                + " after an attempt failed");
      }
      if (m.diverged()) {
        error = "training diverged in epoch " + epoch + " (loss is NaN or infinite)";
        publish(RunStatus.RUNNING, null, null);
        break;
      }
      checkpoints.put(epoch, result.checkpointKey());
      if (m.valLoss() < bestLoss - spec.params().minDelta() || bestEpoch == 0) {
        bestLoss = m.valLoss();
        bestEpoch = epoch;
      }
      publish(RunStatus.RUNNING, null, null);
      if (patience > 0 && epoch - bestEpoch >= patience && epoch < spec.params().epochs()) {
        stoppedEarly = true;
        log.info(
            "arm {} stops early at epoch {}: no improvement since epoch {}", arm, epoch, bestEpoch);
        break;
      }
      epoch++;
    }

    if (bestEpoch == 0) {
      return publish(RunStatus.FAILED, null, error == null ? "no epoch finished" : error);
    }
    TestMetrics test;
    try {
      EpochMetrics best =
          epochs.stream().filter(m -> m.epoch() == bestEpoch).findFirst().orElseThrow();
      test =
          training
              .apply(Visibility.evaluationSummary(arm, best))
              .evaluate(new EvaluationTask(spec, dataset, checkpoints.get(bestEpoch), "test"));
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure) {
        throw failure;
      }
      return publish(
          RunStatus.FAILED, null, "test evaluation failed: " + Failures.message(failure));
    }
    return publish(RunStatus.COMPLETED, test, error);
  }

  /** Drops an epoch whose checkpoint cannot be trusted, and everything after it. */
  private void forget(int epoch) {
    epochs.removeIf(m -> m.epoch() >= epoch);
    checkpoints.keySet().removeIf(e -> e >= epoch);
    bestEpoch = 0;
    bestLoss = Double.POSITIVE_INFINITY;
    for (EpochMetrics m : epochs) {
      if (m.valLoss() < bestLoss) {
        bestLoss = m.valLoss();
        bestEpoch = m.epoch();
      }
    }
  }

  private ArmResult publish(RunStatus status, TestMetrics test, String error) {
    ArmResult result =
        new ArmResult(
            spec.arm(),
            status,
            epochs,
            bestEpoch,
            checkpoints.get(bestEpoch),
            checkpoints.get(epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch()),
            stoppedEarly,
            resumedFrom,
            test,
            error,
            notes);
    publish.accept(result);
    return result;
  }

  /** Makes a non-retryable failure carrying an arm's error. */
  static ApplicationFailure armFailure(ArmResult result) {
    return ApplicationFailure.newNonRetryableFailure(
        "arm " + result.arm() + " failed: " + result.error(), "ArmFailed");
  }
}
