package io.tunelab.training;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.tunelab.dataset.AugmentationPolicy;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.evaluation.Evaluation;
import io.tunelab.evaluation.Evaluator;
import io.tunelab.evaluation.Predictions;
import io.tunelab.storage.BadInput;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.ShardCache;
import io.tunelab.workflows.activities.TrainingActivities;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.EvaluationTask;
import io.tunelab.workflows.model.TestMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activity adapter over {@link EpochTrainer} and {@link Evaluator}: reads shards and
 * checkpoints from the bucket, heartbeats step progress, and writes the epoch's checkpoint
 * before it returns, so a retry on any worker starts from the bucket alone.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  private static final Logger log = LoggerFactory.getLogger(TrainingActivitiesImpl.class);

  private final ObjectStore store;
  private final ShardCache shards;
  private final EpochTrainer trainer;
  private final Evaluator evaluator;

  public TrainingActivitiesImpl(ObjectStore store, ShardCache shards, EpochTrainer trainer,
      Evaluator evaluator) {
    this.store = store;
    this.shards = shards;
    this.trainer = trainer;
    this.evaluator = evaluator;
  }

  @Override
  public EpochResult trainEpoch(EpochTask task) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    int attempt = context.getInfo().getAttempt();
    ArmSpec arm = task.arm();
    DatasetRef data = task.dataset();
    byte[] previous = task.previousCheckpointKey() == null ? null : store.get(task.previousCheckpointKey());
    // A torchscript arm starts from its archive (both arms: it is the network's structure);
    // later epochs find the module in the previous checkpoint.
    byte[] pretrained = previous == null && arm.pretrained() && !arm.torchScript()
        ? store.get(arm.initParametersKey()) : null;
    TorchScriptStart torchScript = previous == null && arm.torchScript()
        ? new TorchScriptStart(store.get(arm.moduleKey()), arm.pretrained()) : null;
    LabeledImages train = shards.get(data.shardKeys().get("train"));
    LabeledImages val = shards.get(data.shardKeys().get("val"));
    log.info("run {} arm {} epoch {} (attempt {}) lr {}", arm.runId(), arm.arm(), task.epoch(),
        attempt, task.learningRate());

    EpochJob job = new EpochJob(arm.architecture(), data.shape(), data.classes().size(), arm.params(),
        task.epoch(), task.learningRate(), train, val, previous, pretrained,
        AugmentationPolicy.forName(arm.params().augment()), torchScript);
    EpochOutcome outcome;
    try {
      outcome = trainer.run(job, (step, total, loss) ->
          context.heartbeat(new Progress(arm.arm(), task.epoch(), step, total, loss)));
    } catch (TorchScriptException e) {
      throw BadInput.failure(e.getMessage());
    }

    Integer resumedFrom = attempt > 1 ? task.epoch() - 1 : null;
    if (outcome.diverged() || outcome.checkpoint() == null) {
      log.warn("run {} arm {} diverged in epoch {}: {}", arm.runId(), arm.arm(), task.epoch(), outcome.metrics());
      EpochMetrics m = outcome.metrics();
      EpochMetrics marked = Double.isFinite(m.valLoss()) && Double.isFinite(m.trainLoss())
          ? new EpochMetrics(m.epoch(), m.trainLoss(), m.trainAcc(), Double.NaN, m.valAcc(), m.lr(), m.seconds())
          : m;
      return new EpochResult(marked, null, resumedFrom);
    }
    String key = Keys.checkpoint(arm.runId(), arm.arm(), task.epoch());
    store.put(key, outcome.checkpoint());
    Map<String, Object> latest = new LinkedHashMap<>();
    latest.put("epoch", task.epoch());
    latest.put("checkpoint", key);
    latest.put("bytes", outcome.checkpoint().length);
    latest.put("metrics", outcome.metrics());
    store.put(Keys.latestCheckpoint(arm.runId(), arm.arm()), Json.bytes(latest), "application/json");
    return new EpochResult(outcome.metrics(), key, resumedFrom);
  }

  @Override
  public TestMetrics evaluate(EvaluationTask task) {
    ArmSpec arm = task.arm();
    LabeledImages split = shards.get(task.dataset().shardKeys().get(task.split()));
    Evaluation result;
    try {
      result = evaluator.evaluate(store.get(task.checkpointKey()), split, arm.params().device());
    } catch (TorchScriptException e) {
      throw BadInput.failure(e.getMessage());
    }
    Predictions predictions = new Predictions(split.labels(), result.predicted(), result.confidence());
    String key = Keys.predictions(arm.runId(), arm.arm(), task.split());
    store.put(key, Json.bytes(predictions), "application/json");
    return new TestMetrics(result.loss(), result.acc(), key);
  }

  /**
   * Heartbeat details: where the epoch is. Only a hint — durable progress is the checkpoint.
   *
   * @param arm arm name
   * @param epoch epoch number
   * @param step batches done
   * @param steps batches in the epoch
   * @param loss mean training loss so far
   */
  public record Progress(String arm, int epoch, int step, int steps, double loss) {}
}
