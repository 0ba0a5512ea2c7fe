package io.tunelab.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.TrainingParams;
import java.util.Map;

/**
 * The training loop of one epoch on a prepared network and trainer: the seeded data order and
 * engine seeds, forward and backward per batch with a stop at the first non-finite loss, the
 * running loss and accuracy, saving part-way, and the validation pass and checkpoint at the end.
 */
final class EpochLoop {
  private EpochLoop() {}

  /**
   * Trains the epoch's steps (from the step {@code resume} saved, if any), saving it part-way when
   * {@code sink} says so, then evaluates the validation split.
   *
   * @param job what to train
   * @param network the network, loaded and frozen as the job says
   * @param trainer the trainer over the network
   * @param optimizer the trainer's optimizer
   * @param steps told after every step
   * @param started when the epoch started ({@link System#nanoTime()})
   * @param resume the epoch saved part-way, or {@code null}
   * @param sink asked after every step whether to save part-way, or {@code null}
   * @return the epoch's metrics and checkpoint, or a diverged outcome without one
   */
  static EpochOutcome train(
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
    Batches batches = new Batches(n, params.batchSize());
    int totalSteps = batches.count();
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
      int from = batches.from(step);
      int to = batches.to(step);
      int size = to - from;
      try (NDManager batch = trainer.getManager().newSubManager()) {
        NDArray x =
            Inputs.images(
                batch,
                new SampleBatch(
                    train,
                    order,
                    from,
                    to,
                    network.inputShape(),
                    network.normalization(),
                    job.augmenter(),
                    seed,
                    epoch));
        NDArray y = Inputs.labels(batch, train, order, from, to);
        NDArray logits;
        float loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          logits = trainer.forward(new NDList(x)).singletonOrThrow();
          NDArray lossArray = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
          if (params.l2() > 0) {
            // Keras' kernel_regularizer: the penalty is part of the loss trained and reported.
            lossArray = lossArray.add(Mlp.squaredWeights(network, batch).mul((float) params.l2()));
          }
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
                    checkpoint(
                        job,
                        network,
                        optimizer,
                        sofar,
                        engineSeed,
                        totalSteps,
                        network.snapshot())),
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
    if (!Double.isFinite(val.loss())) {
      return new EpochOutcome(metrics, null, true, val);
    }
    // One copy of the parameters serves both the check and the checkpoint.
    Map<String, Checkpoint.Tensor> parameters = network.snapshot();
    if (!allFinite(parameters) || (network.isTorchScript() && !network.allFinite())) {
      // Batch norm can keep the loss finite while weights or running statistics overflow.
      return new EpochOutcome(metrics, null, true, val);
    }
    return new EpochOutcome(
        metrics,
        CheckpointCodec.encode(
            checkpoint(job, network, optimizer, metrics, engineSeed, totalSteps, parameters)),
        false,
        val);
  }

  private static boolean allFinite(Map<String, Checkpoint.Tensor> parameters) {
    for (Checkpoint.Tensor t : parameters.values()) {
      for (float v : t.values()) {
        if (!Float.isFinite(v)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The model ({@code parameters}, its {@link Network#snapshot()} now), optimizer and seeds of the
   * job's epoch as they are now, with these metrics.
   */
  private static Checkpoint checkpoint(
      EpochJob job,
      Network network,
      OwnedOptimizer optimizer,
      EpochMetrics metrics,
      int engineSeed,
      int totalSteps,
      Map<String, Checkpoint.Tensor> parameters) {
    long seed = job.params().seed();
    return new Checkpoint(
        job.architecture(),
        job.shape(),
        job.numClasses(),
        job.epoch(),
        new Checkpoint.RngInfo(
            seed, Seeds.orderSeed(seed, job.epoch()), engineSeed, job.train().size(), totalSteps),
        metrics,
        parameters,
        optimizer.snapshot(),
        network.isTorchScript() ? network.moduleArchive() : null);
  }

  private static double seconds(long started) {
    return (System.nanoTime() - started) / 1e9;
  }
}
