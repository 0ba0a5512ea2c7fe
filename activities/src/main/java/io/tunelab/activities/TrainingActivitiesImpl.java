package io.tunelab.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import io.tunelab.dataset.AugmentationPolicy;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.diagnosis.EpochPredictions;
import io.tunelab.evaluation.Evaluation;
import io.tunelab.evaluation.Evaluator;
import io.tunelab.evaluation.Predictions;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.training.Checkpoint;
import io.tunelab.training.CorruptCheckpointException;
import io.tunelab.training.Devices;
import io.tunelab.training.EpochJob;
import io.tunelab.training.EpochOutcome;
import io.tunelab.training.EpochTrainer;
import io.tunelab.training.LiveModel;
import io.tunelab.training.LiveModels;
import io.tunelab.training.PartialEpoch;
import io.tunelab.training.PartialSink;
import io.tunelab.training.TorchScriptException;
import io.tunelab.training.TorchScriptStart;
import io.tunelab.training.TorchThread;
import io.tunelab.workflows.TrainingFailures;
import io.tunelab.workflows.activities.TrainingActivities;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.EvaluationTask;
import io.tunelab.workflows.model.TestMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activity adapter over {@link EpochTrainer} and {@link Evaluator}: reads shards and checkpoints
 * from the bucket, heartbeats step progress, and writes the epoch's checkpoint before it returns,
 * so a retry on any worker starts from the bucket alone. The next epoch on the same worker
 * continues from the model the epoch left alive ({@link LiveModels}) while the bucket holds its
 * checkpoint unchanged, which saves reading, decoding and loading it.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  private static final Logger log = LoggerFactory.getLogger(TrainingActivitiesImpl.class);

  /** How often a running epoch heartbeats; well inside the training heartbeat timeout. */
  static final Duration HEARTBEAT_PERIOD = Duration.ofSeconds(2);

  private final ObjectStore store;
  private final ShardCache shards;
  private final EpochTrainer trainer;
  private final Evaluator evaluator;
  private final TorchThread torch;
  private final LiveModels live;

  /** Writes that run beside the activity's own (daemon threads, created on demand). */
  private final ExecutorService io =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tunelab-epoch-io");
            t.setDaemon(true);
            return t;
          });

  /** What one unit of {@code checkpointEverySeconds} is: a second (tests shorten it). */
  private final Duration inEpochUnit;

  public TrainingActivitiesImpl(
      ObjectStore store, ShardCache shards, EpochTrainer trainer, Evaluator evaluator) {
    this(store, shards, trainer, evaluator, TorchThread.shared(), Duration.ofSeconds(1));
  }

  /** Training activities that run their epochs and evaluations on {@code torch}. */
  public TrainingActivitiesImpl(
      ObjectStore store,
      ShardCache shards,
      EpochTrainer trainer,
      Evaluator evaluator,
      TorchThread torch) {
    this(store, shards, trainer, evaluator, torch, Duration.ofSeconds(1));
  }

  TrainingActivitiesImpl(
      ObjectStore store,
      ShardCache shards,
      EpochTrainer trainer,
      Evaluator evaluator,
      Duration inEpochUnit) {
    this(store, shards, trainer, evaluator, TorchThread.shared(), inEpochUnit);
  }

  /**
   * Training activities that run their epochs and evaluations on {@code torch} and keep the models
   * of their last epochs alive in {@code live} for the next ones.
   */
  public TrainingActivitiesImpl(
      ObjectStore store,
      ShardCache shards,
      EpochTrainer trainer,
      Evaluator evaluator,
      TorchThread torch,
      LiveModels live) {
    this(store, shards, trainer, evaluator, torch, Duration.ofSeconds(1), live);
  }

  private TrainingActivitiesImpl(
      ObjectStore store,
      ShardCache shards,
      EpochTrainer trainer,
      Evaluator evaluator,
      TorchThread torch,
      Duration inEpochUnit) {
    this(
        store,
        shards,
        trainer,
        evaluator,
        torch,
        inEpochUnit,
        new LiveModels(LiveModels.DEFAULT_CAPACITY));
  }

  private TrainingActivitiesImpl(
      ObjectStore store,
      ShardCache shards,
      EpochTrainer trainer,
      Evaluator evaluator,
      TorchThread torch,
      Duration inEpochUnit,
      LiveModels live) {
    this.live = live;
    this.store = store;
    this.shards = shards;
    this.trainer = trainer;
    this.evaluator = evaluator;
    this.torch = torch;
    this.inEpochUnit = inEpochUnit;
  }

  @Override
  public EpochResult trainEpoch(EpochTask task) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    int attempt = context.getInfo().getAttempt();
    ArmSpec arm = task.arm();
    DatasetRef data = task.dataset();
    LabeledImages train = shards.get(data.shardKeys().get("train"));
    LabeledImages val = shards.get(data.shardKeys().get("val"));
    PartialEpoch resume = inEpochCheckpoint(task);
    // The model the epoch before left alive on this worker, while the bucket still holds its
    // checkpoint unchanged; otherwise the checkpoint is read as on any other worker.
    LiveModel warm = live.take(task.previousCheckpointKey(), store::etag);
    EpochJob job = null;
    if (warm != null) {
      EpochJob next = resume == null ? job(task, train, val, null, null, null) : null;
      if (next != null && warm.continues(next)) {
        job = next;
      } else {
        warm.close();
        warm = null;
      }
    }
    if (job == null) {
      byte[] previous =
          task.previousCheckpointKey() == null ? null : fetched(task.previousCheckpointKey());
      // A torchscript arm starts from its archive (both arms: it is the network's structure);
      // later epochs find the module in the previous checkpoint.
      byte[] pretrained =
          previous == null && arm.pretrained() && !arm.torchScript()
              ? store.get(arm.initParametersKey())
              : null;
      TorchScriptStart torchScript =
          previous == null && arm.torchScript()
              ? new TorchScriptStart(store.get(arm.moduleKey()), arm.pretrained())
              : null;
      job = job(task, train, val, previous, pretrained, torchScript);
    }
    log.info(
        "run {} arm {} epoch {} (attempt {}) lr {}{}",
        arm.runId(),
        arm.arm(),
        task.epoch(),
        attempt,
        task.learningRate(),
        warm != null ? ", continuing the live model" : "");

    LiveModel from = warm;
    EpochJob epochJob = job;
    EpochOutcome outcome;
    try (Heartbeats heartbeats =
        Heartbeats.start(
            context,
            HEARTBEAT_PERIOD,
            Progress.of(arm.arm(), task.epoch(), arm.params().epochs(), 0, 0, Double.NaN))) {
      InEpochCheckpoints saves = new InEpochCheckpoints(task);
      outcome =
          torch.call(
              () ->
                  trainer.run(
                      epochJob,
                      (step, total, loss) -> {
                        heartbeats.checkStopped();
                        heartbeats.report(
                            Progress.of(
                                    arm.arm(),
                                    task.epoch(),
                                    arm.params().epochs(),
                                    step,
                                    total,
                                    loss)
                                .with(saves.last));
                      },
                      resume,
                      arm.params().checkpointEverySeconds() > 0 ? saves : null,
                      from,
                      live.enabled()));
    } catch (TorchScriptException e) {
      throw BadInput.failure(e.getMessage());
    } catch (CorruptCheckpointException e) {
      if (job.previousCheckpoint() == null) {
        throw e; // the pretrained model's parameters, not this run's checkpoint
      }
      // Decoded (and its SHA-256 checked) once, by the trainer.
      throw ApplicationFailure.newNonRetryableFailure(
          task.previousCheckpointKey() + ": " + e.getMessage(),
          TrainingFailures.CORRUPT_CHECKPOINT);
    }

    LiveModel kept = outcome.live();
    try {
      EpochResult result = store(task, data, val, outcome, resume);
      if (kept != null) {
        String key = result.checkpointKey();
        live.put(key, store.etag(key), kept);
        kept = null;
      }
      return result;
    } finally {
      if (kept != null) {
        kept.close();
      }
    }
  }

  private EpochJob job(
      EpochTask task,
      LabeledImages train,
      LabeledImages val,
      byte[] previous,
      byte[] pretrained,
      TorchScriptStart torchScript) {
    ArmSpec arm = task.arm();
    DatasetRef data = task.dataset();
    return new EpochJob(
        arm.architecture(),
        data.shape(),
        data.classes().size(),
        arm.params(),
        task.epoch(),
        task.learningRate(),
        train,
        val,
        previous,
        pretrained,
        AugmentationPolicy.forName(arm.params().augment()),
        torchScript);
  }

  /**
   * Stores what the epoch yielded (its checkpoint, records and {@code latest.json}, pruning the old
   * checkpoints) and says what the workflow gets back.
   */
  private EpochResult store(
      EpochTask task,
      DatasetRef data,
      LabeledImages val,
      EpochOutcome outcome,
      PartialEpoch resume) {
    ArmSpec arm = task.arm();
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    Integer resumedFrom = attempt > 1 ? task.epoch() - 1 : null;
    if (outcome.diverged() || outcome.checkpoint() == null) {
      log.warn(
          "run {} arm {} diverged in epoch {}: {}",
          arm.runId(),
          arm.arm(),
          task.epoch(),
          outcome.metrics());
      EpochMetrics m = outcome.metrics();
      EpochMetrics marked =
          Double.isFinite(m.valLoss()) && Double.isFinite(m.trainLoss())
              ? new EpochMetrics(
                  m.epoch(),
                  m.trainLoss(),
                  m.trainAcc(),
                  Double.NaN,
                  m.valAcc(),
                  m.lr(),
                  m.seconds())
              : m;
      return new EpochResult(marked, null, resumedFrom);
    }
    String key = Keys.checkpoint(arm.runId(), arm.arm(), task.epoch());
    // The checkpoint and the epoch's small records go up together; latest.json, which points at
    // the checkpoint, only once all of them are stored, and the pruning beside it.
    CompletableFuture<Void> records =
        CompletableFuture.runAsync(
            () -> {
              store.put(
                  Keys.epochMetrics(arm.runId(), arm.arm(), task.epoch()),
                  Json.bytes(outcome.metrics()),
                  "application/json");
              if (outcome.validation() != null) {
                io.tunelab.training.ModelOutputs v = outcome.validation();
                store.put(
                    Keys.validationPredictions(arm.runId(), arm.arm(), task.epoch()),
                    Json.bytes(
                        new EpochPredictions(
                            task.epoch(),
                            val.labels(),
                            v.predicted(),
                            v.confidence(),
                            v.exampleLoss())),
                    "application/json");
              }
            },
            io);
    store.put(key, outcome.checkpoint());
    join(records);
    Map<String, Object> latest = new LinkedHashMap<>();
    latest.put("epoch", task.epoch());
    latest.put("checkpoint", key);
    latest.put("bytes", outcome.checkpoint().length);
    latest.put("metrics", outcome.metrics());
    latest.put("ingestId", data.ingestId());
    CompletableFuture<Void> pruned =
        CompletableFuture.runAsync(() -> prune(arm, task.epoch(), task.bestCheckpointKey()), io);
    store.put(
        Keys.latestCheckpoint(arm.runId(), arm.arm()), Json.bytes(latest), "application/json");
    join(pruned);
    Devices.Choice device = Devices.resolve(arm.params().device());
    String deviceNote = device.fellBack() ? device.reason() : null;
    if (deviceNote != null) {
      log.warn("run {} arm {}: {}", arm.runId(), arm.arm(), deviceNote);
    }
    if (arm.params().checkpointEverySeconds() > 0) {
      // Its progress record first: without it the checkpoint is never used.
      for (String partial :
          List.of(
              Keys.partialProgress(arm.runId(), arm.arm(), task.epoch()),
              Keys.partialCheckpoint(arm.runId(), arm.arm(), task.epoch()))) {
        try {
          store.delete(partial);
        } catch (RuntimeException e) {
          // Harmless if it stays: only an attempt of this very epoch from the same checkpoint
          // would use it, and it holds a state that epoch really passed through.
          log.warn(
              "run {} arm {}: could not delete {}: {}",
              arm.runId(),
              arm.arm(),
              partial,
              e.getMessage());
        }
      }
    }
    return new EpochResult(
        outcome.metrics(),
        key,
        resumedFrom,
        deviceNote,
        resume == null ? null : resume.stepsDone());
  }

  /**
   * Saves the epoch in flight every {@code checkpointEverySeconds} to the bucket (the checkpoint,
   * then a small progress record naming it, which the next attempt of the epoch looks for), and
   * shows it in the heartbeat details.
   */
  private final class InEpochCheckpoints implements PartialSink {
    private final EpochTask task;
    private final long intervalNanos;
    private long lastSave = System.nanoTime();
    private Progress.Saved last;

    InEpochCheckpoints(EpochTask task) {
      this.task = task;
      this.intervalNanos =
          inEpochUnit.multipliedBy(task.arm().params().checkpointEverySeconds()).toNanos();
    }

    @Override
    public boolean due() {
      return System.nanoTime() - lastSave >= intervalNanos;
    }

    @Override
    public void save(PartialEpoch partial) {
      ArmSpec arm = task.arm();
      String key = Keys.partialCheckpoint(arm.runId(), arm.arm(), task.epoch());
      store.put(key, partial.checkpoint());
      last =
          new Progress.Saved(
              key,
              partial.stepsDone(),
              partial.lossSum(),
              partial.correct(),
              partial.seen(),
              task.previousCheckpointKey());
      // Written last: a retry trusts the checkpoint only once this names it.
      store.put(
          Keys.partialProgress(arm.runId(), arm.arm(), task.epoch()),
          Json.bytes(last),
          "application/json");
      lastSave = System.nanoTime();
      log.info(
          "run {} arm {} epoch {}: in-epoch checkpoint after step {}",
          arm.runId(),
          arm.arm(),
          task.epoch(),
          partial.stepsDone());
    }
  }

  /**
   * The in-epoch checkpoint an earlier attempt of this epoch left in the bucket, or {@code null}
   * (none, one that started from another checkpoint, or unreadable: the epoch then starts over,
   * which is slower but safe).
   */
  private PartialEpoch inEpochCheckpoint(EpochTask task) {
    ArmSpec arm = task.arm();
    if (arm.params().checkpointEverySeconds() <= 0) {
      return null;
    }
    String progressKey = Keys.partialProgress(arm.runId(), arm.arm(), task.epoch());
    Progress.Saved saved;
    try {
      saved = Json.read(store.get(progressKey), Progress.Saved.class);
    } catch (ObjectNotFoundException e) {
      return null;
    } catch (RuntimeException e) {
      log.warn(
          "run {} arm {} epoch {}: {} unreadable ({}); starting the epoch from its start",
          arm.runId(),
          arm.arm(),
          task.epoch(),
          progressKey,
          e.getMessage());
      return null;
    }
    if (!java.util.Objects.equals(saved.startedFrom(), task.previousCheckpointKey())
        || !saved.key().equals(Keys.partialCheckpoint(arm.runId(), arm.arm(), task.epoch()))) {
      return null;
    }
    try {
      byte[] bytes = store.get(saved.key());
      Checkpoint.decode(bytes);
      PartialEpoch partial =
          new PartialEpoch(bytes, saved.steps(), saved.lossSum(), saved.correct(), saved.seen());
      log.info(
          "run {} arm {} epoch {}: continuing from the in-epoch checkpoint after step {}",
          arm.runId(),
          arm.arm(),
          task.epoch(),
          saved.steps());
      return partial;
    } catch (ObjectNotFoundException | CorruptCheckpointException | IllegalArgumentException e) {
      log.warn(
          "run {} arm {} epoch {}: in-epoch checkpoint {} unusable ({}); starting the epoch"
              + " from its start",
          arm.runId(),
          arm.arm(),
          task.epoch(),
          saved.key(),
          e.getMessage());
      return null;
    }
  }

  /**
   * Reads a checkpoint; a missing one fails the activity without retry so the workflow can train
   * its epoch again from the one before (so does a corrupt one, found when the trainer decodes it).
   */
  private byte[] fetched(String key) {
    try {
      return store.get(key);
    } catch (ObjectNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          key + " is missing", TrainingFailures.CORRUPT_CHECKPOINT);
    }
  }

  /** Waits for a write done beside the activity's thread; its failure is the activity's. */
  private static void join(CompletableFuture<Void> write) {
    try {
      write.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /**
   * Keeps the last two epochs' checkpoints (the newest, and the one to fall back to should the
   * newest turn out corrupt) and the best; deletes the rest.
   */
  private void prune(ArmSpec arm, int epoch, String bestKey) {
    String keep1 = Keys.checkpoint(arm.runId(), arm.arm(), epoch);
    String keep2 = Keys.checkpoint(arm.runId(), arm.arm(), epoch - 1);
    for (String key : store.list(Keys.armPrefix(arm.runId(), arm.arm()) + "epoch-")) {
      if (key.endsWith("/checkpoint.bin")
          && !key.equals(keep1)
          && !key.equals(keep2)
          && !key.equals(bestKey)) {
        store.delete(key);
      }
    }
  }

  @Override
  public TestMetrics evaluate(EvaluationTask task) {
    ArmSpec arm = task.arm();
    // The arm has stopped training: its live models are no longer needed.
    live.drop(Keys.armPrefix(arm.runId(), arm.arm()));
    LabeledImages split = shards.get(task.dataset().shardKeys().get(task.split()));
    Evaluation result;
    try (Heartbeats heartbeats =
        Heartbeats.start(
            Activity.getExecutionContext(),
            HEARTBEAT_PERIOD,
            "evaluating " + arm.arm() + " on " + task.split())) {
      byte[] checkpoint = store.get(task.checkpointKey());
      result = torch.call(() -> evaluator.evaluate(checkpoint, split, arm.params().device()));
    } catch (TorchScriptException e) {
      throw BadInput.failure(e.getMessage());
    }
    Predictions predictions =
        new Predictions(split.labels(), result.predicted(), result.confidence());
    String key = Keys.predictions(arm.runId(), arm.arm(), task.split());
    store.put(key, Json.bytes(predictions), "application/json");
    return new TestMetrics(result.loss(), result.acc(), key);
  }

  /**
   * An epoch's progress as heartbeat details: read by {@code tunelab run --wait}'s bar and shown as
   * they are in Temporal's UI, where {@code text} says it in words.
   *
   * @param arm the arm
   * @param epoch the epoch in flight
   * @param epochs the arm's epoch budget
   * @param step optimisation steps done in this epoch
   * @param steps steps of the epoch
   * @param loss the last step's training loss (NaN before the first)
   * @param text e.g. {@code finetune epoch 4/10 step 120/469 loss 0.412}
   */
  public record Progress(
      String arm,
      int epoch,
      int epochs,
      int step,
      int steps,
      double loss,
      String text,
      Saved saved) {
    public static Progress of(String arm, int epoch, int epochs, int step, int steps, double loss) {
      String text =
          String.format(
                  java.util.Locale.ROOT,
                  "%s epoch %d/%d step %d/%d",
                  arm,
                  epoch,
                  epochs,
                  step,
                  steps)
              + (Double.isFinite(loss)
                  ? String.format(java.util.Locale.ROOT, " loss %.3f", loss)
                  : "");
      return new Progress(arm, epoch, epochs, step, steps, loss, text, null);
    }

    /** The same progress naming the epoch's last in-epoch checkpoint ({@code null}: none). */
    public Progress with(Saved saved) {
      return saved == null
          ? this
          : new Progress(arm, epoch, epochs, step, steps, loss, text, saved);
    }

    /**
     * The last in-epoch checkpoint of the epoch: where it is and the progress it holds.
     *
     * @param key the object holding it
     * @param steps steps done when it was saved
     * @param lossSum sum of the training losses of the examples trained until then
     * @param correct of those, the ones classified correctly
     * @param seen examples trained until then
     * @param startedFrom the checkpoint the epoch started from ({@code null}: the pretrained model
     *     or nothing)
     */
    public record Saved(
        String key, int steps, double lossSum, long correct, int seen, String startedFrom) {}
  }
}
