package io.tunelab.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunState;

/**
 * One experiment: ingest and split the data, fine-tune a pretrained model and train a scratch
 * baseline on identical splits, evaluate both on the test split, compare, diagnose and report.
 */
@WorkflowInterface
public interface ExperimentWorkflow {
  /** Runs the experiment to its end and returns the final state. */
  @WorkflowMethod
  RunState run(ExperimentSpec spec);

  /** The run's state now: phase, epochs so far, results once known. */
  @QueryMethod
  RunState state();

  /** Ends an arm ({@code finetune} or {@code scratch}) at its next epoch boundary. */
  @SignalMethod
  void stopArm(String arm);
}
