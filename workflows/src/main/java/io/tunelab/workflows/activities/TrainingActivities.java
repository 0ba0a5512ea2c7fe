package io.tunelab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.EpochsResult;
import io.tunelab.workflows.model.EpochsTask;
import io.tunelab.workflows.model.EvaluationTask;
import io.tunelab.workflows.model.TestMetrics;

/** Training and evaluation of models; they run on the training task queue. */
@ActivityInterface
public interface TrainingActivities {
  /** Trains one epoch, validates, and writes its checkpoint; heartbeats step progress. */
  @ActivityMethod
  EpochResult trainEpoch(EpochTask task);

  /**
   * Trains epochs back to back, each validated and checkpointed as {@link #trainEpoch} does, until
   * one of the task's stops; heartbeats the epochs done, and a retry continues after them.
   */
  @ActivityMethod
  EpochsResult trainEpochs(EpochsTask task);

  /** Evaluates a checkpoint on a split and stores the per-image predictions. */
  @ActivityMethod
  TestMetrics evaluate(EvaluationTask task);
}
