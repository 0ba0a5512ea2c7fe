package io.tunelab.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.training.loss.Loss;
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
 * checkpoint. Every sample is trained once per epoch, a remainder smaller than half a batch in the
 * last batch ({@link Batches}). A training loss that becomes NaN or infinite stops the epoch before
 * the step is applied and yields a diverged outcome with no checkpoint; so does a non-finite
 * validation loss or parameter at the end of the epoch (batch norm can keep the loss finite while
 * weights or running statistics overflow).
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
      JobFit.partial(job, partial, resume);
    } else if (from == null) {
      JobFit.start(job, previous, pretrained);
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
          if (job.headReuse() != null) {
            job.headReuse().apply(network, pretrained.parameters());
          }
        } else if (network.isTorchScript() && !job.torchScript().keepWeights()) {
          network.reinitialiseModule(params.seed());
        }
        // After newTrainer (it may unfreeze everything) and after loading.
        network.applyFreeze(params.freeze(), job.epoch());
        outcome = EpochLoop.train(job, network, trainer, optimizer, steps, started, resume, sink);
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
      return Network.build(job.architecture(), job.shape(), job.numClasses(), job.params());
    }
    byte[] archive = previous != null ? previous.module() : job.torchScript().archive();
    return Network.fromTorchScript(archive, job.shape(), job.numClasses(), manager);
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
}
