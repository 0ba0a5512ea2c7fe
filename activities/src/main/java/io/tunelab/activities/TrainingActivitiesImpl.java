package io.tunelab.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import io.tunelab.evaluation.ArmEvaluations;
import io.tunelab.training.ArmEpochs;
import io.tunelab.training.ConsecutiveEpochs;
import io.tunelab.training.EpochProgress;
import io.tunelab.training.TorchScriptException;
import io.tunelab.training.UnusableCheckpointException;
import io.tunelab.workflows.TrainingFailures;
import io.tunelab.workflows.activities.TrainingActivities;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.EpochsResult;
import io.tunelab.workflows.model.EpochsTask;
import io.tunelab.workflows.model.EvaluationTask;
import io.tunelab.workflows.model.TestMetrics;

/**
 * Activity adapter over {@link ArmEpochs} and {@link ArmEvaluations}: heartbeats their progress. A
 * TorchScript archive that cannot serve fails without retry as bad input; so does an epoch whose
 * starting checkpoint is missing or corrupt, as {@link TrainingFailures#CORRUPT_CHECKPOINT}, so the
 * workflow trains the epoch before it again.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  private final ArmEpochs epochs;
  private final ConsecutiveEpochs consecutive;
  private final ArmEvaluations evaluations;

  public TrainingActivitiesImpl(ArmEpochs epochs, ArmEvaluations evaluations) {
    this.epochs = epochs;
    this.consecutive = new ConsecutiveEpochs(epochs);
    this.evaluations = evaluations;
  }

  @Override
  public EpochResult trainEpoch(EpochTask task) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    return training(
        context, heartbeats -> epochs.train(task, context.getInfo().getAttempt(), heartbeats));
  }

  @Override
  public EpochsResult trainEpochs(EpochsTask task) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // The epochs an earlier attempt finished, from its last heartbeat.
    EpochProgress last =
        context.getInfo().getAttempt() > 1
            ? context.getHeartbeatDetails(EpochProgress.class).orElse(null)
            : null;
    return training(
        context,
        heartbeats ->
            new EpochsResult(
                consecutive.train(
                    task,
                    last == null ? null : last.done(),
                    context.getInfo().getAttempt(),
                    heartbeats)));
  }

  /**
   * Runs training work with heartbeats; a TorchScript module that cannot be used is bad input, a
   * checkpoint that cannot be read a non-retryable failure the workflow recovers from.
   */
  private static <T> T training(
      ActivityExecutionContext context, java.util.function.Function<Heartbeats, T> work) {
    try (Heartbeats heartbeats = Heartbeats.start(context, Heartbeats.PERIOD, null)) {
      return work.apply(heartbeats);
    } catch (TorchScriptException e) {
      throw BadInput.failure(e.getMessage());
    } catch (UnusableCheckpointException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), TrainingFailures.CORRUPT_CHECKPOINT);
    }
  }

  @Override
  public TestMetrics evaluate(EvaluationTask task) {
    try (Heartbeats heartbeats =
        Heartbeats.start(Activity.getExecutionContext(), Heartbeats.PERIOD, null)) {
      return evaluations.evaluate(task, heartbeats);
    } catch (TorchScriptException e) {
      throw BadInput.failure(e.getMessage());
    }
  }
}
