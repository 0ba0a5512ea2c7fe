package io.tunelab.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.training.loss.Loss;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.TrainingParams;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains a model for exactly one epoch and returns its metrics and a checkpoint to start the next
 * epoch from. A call builds a fresh model, loads the previous checkpoint (or a pretrained backbone,
 * or nothing) and a fresh {@link Trainer}, so a first run and a retried or resumed run take the
 * same code path; or, when handed the {@link LiveModel} the epoch before left alive, continues from
 * it with a fresh {@link Trainer}: the same parameters and optimizer state the checkpoint would
 * have restored, without decoding and building them again (the results are bit-identical, see
 * {@code LiveModelTest}).
 *
 * <p>Determinism: the epoch depends only on the job. The data order is a permutation drawn from a
 * {@link java.util.Random} seeded by (seed, epoch); augmentation uses a {@code Random} seeded by
 * (seed, epoch, image index); the engine's random generator (initialisation of new parameters,
 * dropout masks) is reseeded from the seed before initialisation and from (seed, epoch) before the
 * training loop; the optimizer state (step counts, SGD momentum, Adam moments) travels in the
 * checkpoint, keyed by parameter name (see {@link OwnedOptimizer}). Two runs of the same jobs on
 * the same machine and thread count give bit-identical results.
 *
 * <p>{@code torchscript} jobs build the network from a TorchScript archive (see {@link
 * Network#fromTorchScript}): on epoch 1 the job's archive, with its weights kept (fine-tune) or
 * re-initialised from the seed (scratch, {@link Network#reinitialiseModule}); later epochs the
 * archive inside the previous checkpoint, which holds the module as the last epoch left it.
 *
 * <p>Optimizers ({@code TrainingParams.optimizer}): {@code sgd} is SGD with momentum 0.9 and L2
 * weight decay added to the gradient; {@code adam} is Adam (beta1 0.9, beta2 0.999, epsilon 1e-8)
 * with L2 weight decay added to the gradient; {@code adamw} is Adam with decoupled weight decay.
 * The learning rate is {@link EpochJob#learningRate()} for every step of the epoch; {@code
 * TrainingParams.learningRate}, {@code schedule}, {@code epochs}, {@code earlyStoppingPatience} and
 * {@code augment} are the caller's business (the caller turns {@code augment} into {@link
 * EpochJob#augmenter()}).
 *
 * <p>{@link Engine#setRandomSeed} is process-global: a process must train one model at a time, or
 * concurrent runs would interleave their random draws; the worker's activities therefore run every
 * epoch on the process's {@link TorchThread}. Instances hold no state and may be reused.
 *
 * <p>Metrics: training loss and accuracy are means per example over the epoch's batches, as trained
 * (dropout on, augmented images); validation loss and accuracy cover the whole validation split in
 * inference mode, exactly as {@link io.tunelab.evaluation.Evaluator} computes them from the
 * checkpoint. A partial last batch is trained. A training loss that becomes NaN or infinite stops
 * the epoch before the step is applied and yields a diverged outcome with no checkpoint; so does a
 * non-finite validation loss or parameter at the end of the epoch (batch norm can keep the loss
 * finite while weights or running statistics overflow).
 */
public final class EpochTrainer {
  static {
    OneDnnGuard.apply();
  }

  /**
   * Runs one epoch.
   *
   * @param job what to train
   * @param listener called after every step, or {@code null}
   * @return the metrics and checkpoint of the epoch
   * @throws CorruptCheckpointException when a given checkpoint is corrupt
   * @throws IllegalArgumentException when a checkpoint does not fit the job (another architecture,
   *     shape, number of classes, epoch, or optimizer)
   */
  public EpochOutcome run(EpochJob job, StepListener listener) {
    return run(job, listener, null, null);
  }

  /**
   * Runs one epoch, or the rest of one saved part-way, saving it part-way when {@code sink} says
   * so.
   *
   * @param job what to train
   * @param listener called after every step, or {@code null}
   * @param resume the epoch saved part-way by an earlier attempt, or {@code null} to start at its
   *     first step; its checkpoint replaces the job's previous and pretrained checkpoints
   * @param sink asked after every step whether to save the epoch part-way, or {@code null}
   * @return the metrics and checkpoint of the epoch
   * @throws CorruptCheckpointException when a given checkpoint is corrupt
   * @throws IllegalArgumentException when a checkpoint does not fit the job
   */
  public EpochOutcome run(
      EpochJob job, StepListener listener, PartialEpoch resume, PartialSink sink) {
    return run(job, listener, resume, sink, null, false);
  }

  /**
   * Runs one epoch as {@link #run(EpochJob, StepListener, PartialEpoch, PartialSink)} does,
   * continuing from a live model instead of the job's previous checkpoint when given one, and
   * keeping the model alive afterwards when asked.
   *
   * @param from the live model of the epoch before, which must {@link LiveModel#continues} the job
   *     and equal its previous checkpoint (the caller makes sure); this method takes it over.
   *     {@code null}: the job's checkpoints say where to start
   * @param keep whether to return the model alive in {@link EpochOutcome#live()} (only when the
   *     epoch yields a checkpoint; the caller then owns it)
   * @throws IllegalArgumentException when {@code from} does not continue the job, or is given with
   *     {@code resume}
   */
  public EpochOutcome run(
      EpochJob job,
      StepListener listener,
      PartialEpoch resume,
      PartialSink sink,
      LiveModel from,
      boolean keep) {
    if (from != null && (resume != null || !from.continues(job))) {
      from.close();
      throw new IllegalArgumentException(
          "the live model of epoch "
              + from.epoch()
              + (resume != null
                  ? " cannot continue an epoch saved part-way"
                  : " does not continue epoch " + job.epoch() + " of this job"));
    }
    StepListener steps = listener == null ? StepListener.NONE : listener;
    long started = System.nanoTime();
    TrainingParams params = job.params();
    Checkpoint partial = resume == null ? null : CheckpointCodec.decode(resume.checkpoint());
    Checkpoint previous =
        from != null || partial != null || job.previousCheckpoint() == null
            ? null
            : CheckpointCodec.decode(job.previousCheckpoint());
    Checkpoint pretrained =
        from != null || partial != null || previous != null || job.pretrainedCheckpoint() == null
            ? null
            : CheckpointCodec.decode(job.pretrainedCheckpoint());
    if (partial != null) {
      checkPartial(job, partial, resume);
    } else if (from == null) {
      checkStart(job, previous, pretrained);
    }
    Checkpoint start = partial != null ? partial : previous;

    Device device = Devices.resolve(params.device()).device();
    Model model =
        from != null ? from.model : Model.newInstance("tunelab-" + job.architecture(), device);
    NDManager optimizerState = null;
    boolean kept = false;
    try {
      optimizerState = from != null ? from.optimizerState : model.getNDManager().newSubManager();
      Network network = from != null ? from.network : network(job, start, model.getNDManager());
      if (from == null) {
        model.setBlock(network.block());
      }
      OwnedOptimizer optimizer =
          new OwnedOptimizer(
              params.optimizer(),
              (float) job.learningRate(),
              (float) params.weightDecay(),
              namesById(network),
              optimizerState,
              params.backboneLrFactor() == 1.0
                  ? java.util.Set.of()
                  : network.backboneParameterNames(),
              (float) params.backboneLrFactor());
      Engine.getInstance().setRandomSeed(Seeds.initSeed(params.seed()));
      TrainingLoss loss =
          new TrainingLoss(
              job.numClasses(),
              params.labelSmoothing(),
              params.classWeighted()
                  ? TrainingLoss.inverseFrequency(job.train().labels(), job.numClasses())
                  : null);
      EpochOutcome outcome;
      try (Trainer trainer = model.newTrainer(config(optimizer, device, loss))) {
        // Initialises only what is not yet: nothing on a live model.
        trainer.initialize(network.batchShape(1));
        if (from != null) {
          optimizer.adopt(from.optimizer);
        } else if (start != null) {
          network.load(start.parameters(), false);
          optimizer.restore(start.optimizerState(), shapesByName(network));
        } else if (pretrained != null) {
          network.load(pretrained.parameters(), true);
        } else if (network.isTorchScript() && !job.torchScript().keepWeights()) {
          network.reinitialiseModule(params.seed());
        }
        // After newTrainer (it may unfreeze everything) and after loading.
        network.applyFreeze(params.freeze(), job.epoch());
        outcome = trainEpoch(job, network, trainer, optimizer, steps, started, resume, sink);
      }
      if (keep && outcome.checkpoint() != null) {
        kept = true;
        return outcome.withLive(new LiveModel(model, network, optimizerState, optimizer, job));
      }
      return outcome;
    } finally {
      if (!kept) {
        if (optimizerState != null) {
          optimizerState.close();
        }
        model.close();
      }
    }
  }

  /** The job's network: a built-in one, or the TorchScript module of the job or checkpoint. */
  private static Network network(EpochJob job, Checkpoint previous, NDManager manager) {
    if (!Network.TORCHSCRIPT.equals(job.architecture())) {
      return Network.build(
          job.architecture(), job.shape(), job.numClasses(), job.params().headDropout());
    }
    byte[] archive = previous != null ? previous.module() : job.torchScript().archive();
    return Network.fromTorchScript(archive, job.shape(), job.numClasses(), manager);
  }

  private static EpochOutcome trainEpoch(
      EpochJob job,
      Network network,
      Trainer trainer,
      OwnedOptimizer optimizer,
      StepListener steps,
      long started,
      PartialEpoch resume,
      PartialSink sink) {
    TrainingParams params = job.params();
    LabeledImages train = job.train();
    int n = train.size();
    int batchSize = params.batchSize();
    int totalSteps = (n + batchSize - 1) / batchSize;
    long seed = params.seed();
    int epoch = job.epoch();
    int[] order = Seeds.permutation(n, seed, epoch);
    int engineSeed = Seeds.torchSeed(seed, epoch);
    Engine.getInstance().setRandomSeed(engineSeed);
    // Saved part-way: the engine's generator is reseeded at every step, so that where the
    // epoch is saved or continued does not change the dropout masks.
    boolean stepSeeded = params.checkpointEverySeconds() > 0;

    double lossSum = resume == null ? 0 : resume.lossSum();
    long correct = resume == null ? 0 : resume.correct();
    int seen = resume == null ? 0 : resume.seen();
    boolean diverged = false;
    for (int step = resume == null ? 0 : resume.stepsDone();
        step < totalSteps && !diverged;
        step++) {
      if (stepSeeded) {
        Engine.getInstance().setRandomSeed(Seeds.stepSeed(seed, epoch, step));
      }
      int from = step * batchSize;
      int to = Math.min(n, from + batchSize);
      int size = to - from;
      try (NDManager batch = trainer.getManager().newSubManager()) {
        NDArray x =
            Inputs.images(
                batch,
                train,
                order,
                from,
                to,
                network.inputShape(),
                network.normalization(),
                job.augmenter(),
                seed,
                epoch);
        NDArray y = Inputs.labels(batch, train, order, from, to);
        NDArray logits;
        float loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          logits = trainer.forward(new NDList(x)).singletonOrThrow();
          NDArray lossArray = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
          loss = lossArray.getFloat();
          if (Float.isFinite(loss)) {
            collector.backward(lossArray);
          }
        }
        lossSum += (double) loss * size;
        seen += size;
        if (!Float.isFinite(loss)) {
          diverged = true;
        } else {
          TrainerStep.apply(trainer, optimizer);
          long[] top = logits.argMax(1).toLongArray();
          for (int k = 0; k < size; k++) {
            if (top[k] == train.label(order[from + k])) {
              correct++;
            }
          }
        }
      }
      if (!diverged && sink != null && step + 1 < totalSteps && sink.due()) {
        EpochMetrics sofar =
            new EpochMetrics(
                epoch,
                lossSum / seen,
                (double) correct / seen,
                Double.NaN,
                Double.NaN,
                job.learningRate(),
                seconds(started));
        sink.save(
            new PartialEpoch(
                CheckpointCodec.encode(
                    checkpoint(job, network, optimizer, sofar, engineSeed, totalSteps)),
                step + 1,
                lossSum,
                correct,
                seen));
      }
      steps.onStep(step + 1, totalSteps, lossSum / seen);
    }

    double trainLoss = lossSum / seen;
    double trainAcc = (double) correct / seen;
    if (diverged) {
      EpochMetrics metrics =
          new EpochMetrics(
              epoch,
              trainLoss,
              trainAcc,
              Double.NaN,
              Double.NaN,
              job.learningRate(),
              seconds(started));
      return new EpochOutcome(metrics, null, true, null);
    }
    ModelOutputs val = network.predict(trainer.getManager(), job.val());
    EpochMetrics metrics =
        new EpochMetrics(
            epoch,
            trainLoss,
            trainAcc,
            val.loss(),
            val.acc(),
            job.learningRate(),
            seconds(started));
    if (!Double.isFinite(val.loss()) || !network.allFinite()) {
      // Batch norm can keep the loss finite while weights or running statistics overflow.
      return new EpochOutcome(metrics, null, true, val);
    }
    return new EpochOutcome(
        metrics,
        CheckpointCodec.encode(
            checkpoint(job, network, optimizer, metrics, engineSeed, totalSteps)),
        false,
        val);
  }

  /** The model, optimizer and seeds of the job's epoch as they are now, with these metrics. */
  private static Checkpoint checkpoint(
      EpochJob job,
      Network network,
      OwnedOptimizer optimizer,
      EpochMetrics metrics,
      int engineSeed,
      int totalSteps) {
    long seed = job.params().seed();
    return new Checkpoint(
        job.architecture(),
        job.shape(),
        job.numClasses(),
        job.epoch(),
        new Checkpoint.RngInfo(
            seed, Seeds.orderSeed(seed, job.epoch()), engineSeed, job.train().size(), totalSteps),
        metrics,
        network.snapshot(),
        optimizer.snapshot(),
        network.isTorchScript() ? network.moduleArchive() : null);
  }

  private static void checkPartial(EpochJob job, Checkpoint partial, PartialEpoch resume) {
    if (!partial.architecture().equals(job.architecture())
        || !partial.shape().equals(job.shape())
        || partial.numClasses() != job.numClasses()
        || partial.epoch() != job.epoch()) {
      throw new IllegalArgumentException(
          "in-epoch checkpoint is epoch "
              + partial.epoch()
              + " of a "
              + partial.architecture()
              + " for "
              + partial.shape()
              + " images and "
              + partial.numClasses()
              + " classes, but the job is epoch "
              + job.epoch()
              + " of a "
              + job.architecture()
              + " for "
              + job.shape()
              + " images and "
              + job.numClasses()
              + " classes");
    }
    int totalSteps = (job.train().size() + job.params().batchSize() - 1) / job.params().batchSize();
    if (partial.rng().trainExamples() != job.train().size() || resume.stepsDone() >= totalSteps) {
      throw new IllegalArgumentException(
          "in-epoch checkpoint after step "
              + resume.stepsDone()
              + " of "
              + partial.rng().trainExamples()
              + " training images does not fit an epoch of "
              + totalSteps
              + " steps on "
              + job.train().size()
              + " images");
    }
  }

  private static void checkStart(EpochJob job, Checkpoint previous, Checkpoint pretrained) {
    if (previous != null) {
      if (!previous.architecture().equals(job.architecture())
          || !previous.shape().equals(job.shape())
          || previous.numClasses() != job.numClasses()) {
        throw new IllegalArgumentException(
            "previous checkpoint is a "
                + previous.architecture()
                + " for "
                + previous.shape()
                + " images and "
                + previous.numClasses()
                + " classes, but the job trains a "
                + job.architecture()
                + " for "
                + job.shape()
                + " images and "
                + job.numClasses()
                + " classes");
      }
      if (previous.epoch() != job.epoch() - 1) {
        throw new IllegalArgumentException(
            "previous checkpoint is from epoch "
                + previous.epoch()
                + " but the job is epoch "
                + job.epoch());
      }
    } else if (job.epoch() > 1) {
      throw new IllegalArgumentException(
          "epoch " + job.epoch() + " needs the checkpoint of epoch " + (job.epoch() - 1));
    }
    if (pretrained != null
        && (!pretrained.architecture().equals(job.architecture())
            || !pretrained.shape().equals(job.shape()))) {
      throw new IllegalArgumentException(
          "pretrained checkpoint is a "
              + pretrained.architecture()
              + " for "
              + pretrained.shape()
              + " images, but the job trains a "
              + job.architecture()
              + " for "
              + job.shape()
              + " images");
    }
  }

  private static TrainingConfig config(OwnedOptimizer optimizer, Device device, Loss loss) {
    return new DefaultTrainingConfig(loss)
        .optOptimizer(optimizer)
        .optDevices(new Device[] {device});
  }

  private static Map<String, String> namesById(Network network) {
    Map<String, String> names = new HashMap<>();
    for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
      names.put(e.getValue().getId(), e.getKey());
    }
    return names;
  }

  private static Map<String, Shape> shapesByName(Network network) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
      shapes.put(e.getKey(), e.getValue().getArray().getShape());
    }
    return shapes;
  }

  private static double seconds(long started) {
    return (System.nanoTime() - started) / 1e9;
  }
}
