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

  /**
   * Ends an arm ({@code finetune} or {@code scratch}, or {@code all} for both) at its next epoch
   * boundary, keeping its best checkpoint for the test; the arm's result says {@code stoppedEarly}
   * and its notes say why. An arm stops only once it has finished an epoch. A request that arrives
   * before training starts applies when it does.
   */
  @SignalMethod
  void stopArm(String arm);

  /**
   * Pauses the run: epochs in flight finish, no arm starts another until {@link #unpause()}. The
   * state query's phase starts with {@code PAUSED} meanwhile.
   */
  @SignalMethod
  void pause();

  /** Lets a paused run go on. */
  @SignalMethod
  void unpause();
}
