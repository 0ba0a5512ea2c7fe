package io.tunelab.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunState;

/**
 * One experiment: ingest and split the data, fine-tune a pretrained model and train a scratch
 * baseline on identical splits, evaluate both on the test split, compare, diagnose and report. Its
 * arms are {@code finetune} and {@code scratch}.
 */
@WorkflowInterface
public interface ExperimentWorkflow extends ControlledRun {
  /** Runs the experiment to its end and returns the final state. */
  @WorkflowMethod
  RunState run(ExperimentSpec spec);
}
