package io.tunelab.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RunState;

/** Trains a source model from scratch and registers it in the model registry. */
@WorkflowInterface
public interface PretrainWorkflow {
  /** Runs the pretraining to its end and returns the final state. */
  @WorkflowMethod
  RunState pretrain(PretrainSpec spec);

  /** The run's state now. */
  @QueryMethod
  RunState state();

  /**
   * Ends the training ({@code pretrain} or {@code all}) at its next epoch boundary; the best
   * checkpoint is registered.
   */
  @SignalMethod
  void stopArm(String arm);

  /** Pauses before the next epoch until {@link #unpause()}. */
  @SignalMethod
  void pause();

  /** Lets a paused run go on. */
  @SignalMethod
  void unpause();
}
