package io.tunelab.evaluation;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.progress.Progress;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.training.LiveModels;
import io.tunelab.training.TorchScriptException;
import io.tunelab.training.TorchThread;
import io.tunelab.training.TrainingSplits;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.EvaluationTask;
import io.tunelab.workflows.model.TestMetrics;

/**
 * The evaluation of an arm's checkpoint on a split, over {@link Evaluator}: stores the predictions
 * for the comparison and the diagnosis, and releases the arm's live models (it has stopped
 * training).
 */
public final class ArmEvaluations {
  private final ObjectStore store;
  private final ShardCache shards;
  private final Evaluator evaluator;
  private final TorchThread torch;
  private final LiveModels live;

  /** Evaluations that run on {@code torch} and drop the arm's models from {@code live}. */
  public ArmEvaluations(
      ObjectStore store,
      ShardCache shards,
      Evaluator evaluator,
      TorchThread torch,
      LiveModels live) {
    this.store = store;
    this.shards = shards;
    this.evaluator = evaluator;
    this.torch = torch;
    this.live = live;
  }

  /**
   * Evaluates the task's checkpoint on its split, reporting that to {@code progress}.
   *
   * @throws TorchScriptException when the arm's TorchScript module cannot classify the split
   */
  public TestMetrics evaluate(EvaluationTask task, Progress progress) {
    ArmSpec arm = task.arm();
    // The arm has stopped training: its live models are no longer needed.
    live.drop(Keys.armPrefix(arm.runId(), arm.arm()));
    LabeledImages split = TrainingSplits.read(store, shards, task.dataset(), task.split());
    progress.report("evaluating " + arm.arm() + " on " + task.split());
    byte[] checkpoint = store.get(task.checkpointKey());
    Evaluation result =
        torch.call(() -> evaluator.evaluate(checkpoint, split, arm.params().device()));
    Predictions predictions =
        new Predictions(split.labels(), result.predicted(), result.confidence());
    String key = Keys.predictions(arm.runId(), arm.arm().wire(), task.split());
    store.put(key, Json.bytes(predictions), "application/json");
    return new TestMetrics(result.loss(), result.acc(), key);
  }
}
