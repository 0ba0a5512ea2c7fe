package io.tunelab.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.tunelab.workflows.activities.TrainingActivities;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.BestEpoch;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.EpochsTask;
import io.tunelab.workflows.model.EvaluationTask;
import io.tunelab.workflows.model.LearningRateSchedule;
import io.tunelab.workflows.model.ResumePoint;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SampleKind;
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

  /**
   * The change that trains a table's epochs several to an activity; histories from before it train
   * one epoch per activity.
   */
  static final String EPOCH_BLOCKS = "table-epoch-blocks";

  /**
   * How long one activity trains a table's epochs before it returns them: the longest a stop or
   * pause request, and the run's state, wait for an epoch boundary the workflow sees.
   */
  static final int BLOCK_SECONDS = 5;

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
  private String error;

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
    int recoveries = 0;
    boolean blocks =
        dataset.shape().kind() == SampleKind.TABLE
            && Workflow.getVersion(EPOCH_BLOCKS, Workflow.DEFAULT_VERSION, 1) == 1;

    publish(RunStatus.RUNNING, null, null);
    int epoch = epochs.isEmpty() ? 1 : epochs.get(epochs.size() - 1).epoch() + 1;
    while (epoch <= spec.params().epochs()) {
      // The epoch boundary: a paused run waits here; a stop ends the arm here, once it has an
      // epoch (and so a checkpoint) to keep.
      if (control.paused() && !control.stopRequested(arm)) {
        control.awaitUnpaused(arm);
      }
      if (control.stopRequested(arm) && epochs.stream().anyMatch(m -> m.epoch() >= 1)) {
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
      List<EpochResult> results;
      try {
        results = blocks ? trainEpochs(arm, epoch) : List.of(trainEpoch(arm, epoch));
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
      boolean goOn = true;
      for (EpochResult result : results) {
        epoch = result.metrics().epoch();
        goOn = accept(result);
        if (!goOn) {
          break;
        }
        epoch++;
      }
      if (!goOn) {
        break;
      }
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

  /** One epoch in an activity of its own. */
  private EpochResult trainEpoch(String arm, int epoch) {
    double lr = LearningRateSchedule.forEpoch(spec.params(), epoch, epochs);
    return training
        .apply(Visibility.epochSummary(arm, epoch, spec.params().epochs(), epochs))
        .trainEpoch(
            new EpochTask(
                spec, dataset, epoch, lr, checkpoints.get(epoch - 1), checkpoints.get(bestEpoch)));
  }

  /** Epochs from {@code epoch} on, back to back in one activity ({@link EpochsTask}). */
  private List<EpochResult> trainEpochs(String arm, int epoch) {
    double lr = LearningRateSchedule.forEpoch(spec.params(), epoch, epochs);
    EpochTask first =
        new EpochTask(
            spec, dataset, epoch, lr, checkpoints.get(epoch - 1), checkpoints.get(bestEpoch));
    return training
        .apply(Visibility.epochSummary(arm, epoch, spec.params().epochs(), epochs))
        .trainEpochs(
            new EpochsTask(
                first,
                List.copyOf(epochs),
                bestEpoch == 0 ? BestEpoch.NONE : new BestEpoch(bestEpoch, bestLoss),
                BLOCK_SECONDS))
        .epochs();
  }

  /**
   * Takes an epoch's result into the arm; says whether training goes on (not after a divergence or
   * when the patience is exhausted).
   */
  private boolean accept(EpochResult result) {
    String arm = spec.arm().wire();
    EpochMetrics m = result.metrics();
    int epoch = m.epoch();
    if (result.start() != null && epochs.stream().noneMatch(e -> e.epoch() == 0)) {
      epochs.add(0, result.start()); // evidence only: never the best epoch, no checkpoint
    }
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
      return false;
    }
    checkpoints.put(epoch, result.checkpointKey());
    BestEpoch best =
        (bestEpoch == 0 ? BestEpoch.NONE : new BestEpoch(bestEpoch, bestLoss))
            .after(m, spec.params());
    bestEpoch = best.epoch();
    bestLoss = best.loss();
    publish(RunStatus.RUNNING, null, null);
    if (best.patienceExhausted(epoch, spec.params())) {
      stoppedEarly = true;
      log.info(
          "arm {} stops early at epoch {}: no improvement since epoch {}", arm, epoch, bestEpoch);
      return false;
    }
    return true;
  }

  /** Drops an epoch whose checkpoint cannot be trusted, and everything after it. */
  private void forget(int epoch) {
    epochs.removeIf(m -> m.epoch() >= epoch);
    checkpoints.keySet().removeIf(e -> e >= epoch);
    bestEpoch = 0;
    bestLoss = Double.POSITIVE_INFINITY;
    for (EpochMetrics m : epochs) {
      if (m.epoch() >= 1 && m.valLoss() < bestLoss) {
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
