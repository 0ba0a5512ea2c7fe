package io.tunelab.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RunState;

/**
 * Trains a source model from scratch and registers it in the model registry. Its one arm is {@code
 * pretrain}; stopping it registers the best checkpoint so far.
 */
@WorkflowInterface
public interface PretrainWorkflow extends ControlledRun {
  /** Runs the pretraining to its end and returns the final state. */
  @WorkflowMethod
  RunState pretrain(PretrainSpec spec);
}
