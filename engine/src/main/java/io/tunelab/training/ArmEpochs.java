package io.tunelab.training;

import io.tunelab.dataset.DataKind;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.diagnosis.EpochPredictions;
import io.tunelab.progress.Progress;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epochs of an arm, over {@link EpochTrainer}: reads shards and checkpoints from the bucket,
 * reports step progress, and writes the epoch's checkpoint before it returns, so a retry on any
 * worker starts from the bucket alone. The next epoch on the same worker continues from the model
 * the epoch left alive ({@link LiveModels}) while the bucket holds its checkpoint unchanged, which
 * saves reading, decoding and loading it.
 */
public final class ArmEpochs {
  private static final Logger log = LoggerFactory.getLogger(ArmEpochs.class);

  private final ObjectStore store;
  private final ShardCache shards;
  private final EpochTrainer trainer;
  private final TorchThread torch;
  private final LiveModels live;

  /** Writes that run beside the epoch's own (daemon threads, created on demand). */
  private final ExecutorService io =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tunelab-epoch-io");
            t.setDaemon(true);
            return t;
          });

  private final InEpochCheckpoints inEpoch;

  /**
   * Epochs that train on {@code torch} and keep the models of their last epochs alive in {@code
   * live} for the next ones.
   *
   * @param inEpochUnit what one unit of {@code checkpointEverySeconds} is: a second, shorter in
   *     tests
   */
  public ArmEpochs(
      ObjectStore store,
      ShardCache shards,
      EpochTrainer trainer,
      TorchThread torch,
      LiveModels live,
      Duration inEpochUnit) {
    this.store = store;
    this.shards = shards;
    this.trainer = trainer;
    this.torch = torch;
    this.live = live;
    this.inEpoch = new InEpochCheckpoints(store, inEpochUnit);
  }

  /**
   * Trains one epoch of an arm and stores what it yielded, reporting {@link EpochProgress} to
   * {@code progress} after every step and stopping there when it says so.
   *
   * @param attempt the attempt of this epoch, from 1: a later one says the epoch resumed
   * @throws UnusableCheckpointException when the checkpoint the epoch starts from is missing or
   *     corrupt
   * @throws TorchScriptException when the arm's TorchScript archive cannot serve as its network
   */
  public EpochResult train(EpochTask task, int attempt, Progress progress) {
    StoredEpoch epoch = train(task, attempt, progress, null, null);
    join(epoch.stored());
    return epoch.result();
  }

  /** Whether the model a checkpoint equals is alive on this worker, so no epoch reads it. */
  boolean holdsLive(String checkpointKey) {
    return live.holds(checkpointKey);
  }

  /**
   * An epoch's result and the writing of what it yielded: the result is final, but only once {@code
   * stored} completed is the epoch durable.
   */
  record StoredEpoch(EpochResult result, CompletableFuture<Void> stored) {}

  /**
   * {@link #train(EpochTask, int, Progress)} for one of several epochs in one activity ({@link
   * ConsecutiveEpochs}). With a {@code liveToken}, the model this activity's epochs leave alive is
   * filed under the token instead of the checkpoint's entity tag (no request asks the bucket for
   * the tag of a checkpoint the activity itself just wrote), and the old checkpoints are left for
   * {@link #prune} to delete once, at the end. With {@code uploads} as well, the epoch's objects
   * are written there while the next epoch trains.
   */
  StoredEpoch train(
      EpochTask task, int attempt, Progress progress, String liveToken, Executor uploads) {
    ArmSpec arm = task.arm();
    DatasetRef data = task.dataset();
    LabeledImages train = TrainingSplits.read(store, shards, data, "train");
    LabeledImages val = TrainingSplits.read(store, shards, data, "val");
    PartialEpoch resume = inEpoch.find(task);
    // The model the epoch before left alive on this worker, while the bucket still holds its
    // checkpoint unchanged; otherwise the checkpoint is read as on any other worker.
    LiveModel warm =
        live.take(task.previousCheckpointKey(), liveToken == null ? store::etag : key -> liveToken);
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
    progress.report(
        EpochProgress.of(arm.arm().wire(), task.epoch(), arm.params().epochs(), 0, 0, Double.NaN));
    InEpochCheckpoints.Saver saves = inEpoch.saver(task);
    try {
      outcome =
          torch.call(
              () ->
                  trainer.run(
                      epochJob,
                      (step, total, loss) -> {
                        progress.checkStopped();
                        progress.report(
                            EpochProgress.of(
                                    arm.arm().wire(),
                                    task.epoch(),
                                    arm.params().epochs(),
                                    step,
                                    total,
                                    loss)
                                .with(saves.last()));
                      },
                      resume,
                      arm.params().checkpointEverySeconds() > 0 ? saves : null,
                      from,
                      live.enabled()));
    } catch (CorruptCheckpointException e) {
      if (job.previousCheckpoint() == null) {
        throw e; // the pretrained model's parameters, not this run's checkpoint
      }
      // Decoded (and its SHA-256 checked) once, by the trainer.
      throw new UnusableCheckpointException(
          task.previousCheckpointKey() + ": " + e.getMessage(), e);
    }

    // Epoch 0, the model the fine-tune started from, when it predicts the target's classes: the
    // same on every attempt of epoch 1, so a retry that continued part-way recomputes it.
    StartEvaluation start = torch.call(() -> StartEvaluation.of(epochJob));
    EpochResult result = result(task, attempt, outcome, resume, start);
    LiveModel kept = outcome.live();
    try {
      CompletableFuture<Void> stored;
      if (liveToken != null && uploads != null) {
        // The next epoch continues from the live model while this one's objects go up.
        if (kept != null && result.checkpointKey() != null) {
          live.put(result.checkpointKey(), liveToken, kept);
          kept = null;
        }
        stored =
            CompletableFuture.runAsync(
                () -> write(task, data, val, outcome, start, false), uploads);
      } else {
        write(task, data, val, outcome, start, liveToken == null);
        stored = CompletableFuture.completedFuture(null);
        if (kept != null && result.checkpointKey() != null) {
          String key = result.checkpointKey();
          live.put(key, liveToken == null ? store.etag(key) : liveToken, kept);
          kept = null;
        }
      }
      return new StoredEpoch(result, stored);
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
        // A table's rows are never augmented (TableKind; the command line refuses --augment).
        DataKind.of(data.shape()).augmenter(arm.params().augment()),
        torchScript,
        pretrained != null && !arm.initClassNames().isEmpty()
            ? HeadReuse.of(data.classes(), arm.initClassNames())
            : null);
  }

  /** What the workflow gets back for the epoch; the same whether or not it is stored yet. */
  private static EpochResult result(
      EpochTask task,
      int attempt,
      EpochOutcome outcome,
      PartialEpoch resume,
      StartEvaluation start) {
    EpochMetrics startMetrics = start == null ? null : start.metrics();
    ArmSpec arm = task.arm();
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
      return new EpochResult(marked, null, resumedFrom, null, null, startMetrics);
    }
    Devices.Choice device = Devices.resolve(arm.params().device());
    String deviceNote = device.fellBack() ? device.reason() : null;
    if (deviceNote != null) {
      log.warn("run {} arm {}: {}", arm.runId(), arm.arm(), deviceNote);
    }
    return new EpochResult(
        outcome.metrics(),
        Keys.checkpoint(arm.runId(), arm.arm(), task.epoch()),
        resumedFrom,
        deviceNote,
        resume == null ? null : resume.stepsDone(),
        startMetrics);
  }

  /**
   * Stores what the epoch yielded (its checkpoint, records and {@code latest.json}, pruning the old
   * checkpoints when {@code prune}); nothing for an epoch that diverged.
   */
  private void write(
      EpochTask task,
      DatasetRef data,
      LabeledImages val,
      EpochOutcome outcome,
      StartEvaluation start,
      boolean prune) {
    if (outcome.diverged() || outcome.checkpoint() == null) {
      return;
    }
    ArmSpec arm = task.arm();
    String key = Keys.checkpoint(arm.runId(), arm.arm(), task.epoch());
    // The checkpoint and the epoch's small records go up together; latest.json, which points at
    // the checkpoint, only once all of them are stored, and the pruning beside it.
    CompletableFuture<Void> records =
        CompletableFuture.runAsync(
            () -> {
              if (start != null) {
                putRecords(arm, val, start.metrics(), start.validation());
              }
              putRecords(arm, val, outcome.metrics(), outcome.validation());
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
        prune
            ? CompletableFuture.runAsync(
                () -> prune(arm, task.epoch(), task.bestCheckpointKey()), io)
            : CompletableFuture.completedFuture(null);
    store.put(
        Keys.latestCheckpoint(arm.runId(), arm.arm()), Json.bytes(latest), "application/json");
    join(pruned);
    if (arm.params().checkpointEverySeconds() > 0) {
      inEpoch.delete(task);
    }
  }

  /** An epoch's metrics and, when known, its predictions on every validation sample. */
  private void putRecords(
      ArmSpec arm, LabeledImages val, EpochMetrics metrics, ModelOutputs validation) {
    int epoch = metrics.epoch();
    store.put(
        Keys.epochMetrics(arm.runId(), arm.arm(), epoch), Json.bytes(metrics), "application/json");
    if (validation != null) {
      store.put(
          Keys.validationPredictions(arm.runId(), arm.arm().wire(), epoch),
          Json.bytes(
              new EpochPredictions(
                  epoch,
                  val.labels(),
                  validation.predicted(),
                  validation.confidence(),
                  validation.exampleLoss())),
          "application/json");
    }
  }

  /**
   * Reads the checkpoint an epoch starts from; a missing one is unusable, so the workflow can train
   * its epoch again from the one before (so is a corrupt one, found when the trainer decodes it).
   */
  private byte[] fetched(String key) {
    try {
      return store.get(key);
    } catch (ObjectNotFoundException e) {
      throw new UnusableCheckpointException(key + " is missing", e);
    }
  }

  /** Waits for a write done beside the epoch's thread; its failure is the epoch's. */
  static void join(CompletableFuture<Void> write) {
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
  void prune(ArmSpec arm, int epoch, String bestKey) {
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
}
