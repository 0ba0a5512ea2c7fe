package io.tunelab.training;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.EpochMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Epoch 0 of a fine-tune: the model it starts from, evaluated before any step. Only where that
 * model predicts the target's classes: epoch 1 from a pretrained checkpoint whose head covers every
 * target class ({@code --head reuse}, {@link HeadReuse#complete}), so that it is the pretrained
 * model restricted to those classes. (A new head predicts at chance; its epoch 0 says nothing.) It
 * tells whether fine-tuning made the model any better than it started: a validation loss that is
 * lowest before the first step is {@code low-initial-rising-val-loss}.
 *
 * @param metrics epoch 0: validation loss and accuracy on the whole validation split, training loss
 *     and accuracy on up to {@value #MAX_TRAIN} training samples spread over the split
 *     (unaugmented, in inference mode), learning rate 0
 * @param validation the model's outputs on every validation sample
 */
public record StartEvaluation(EpochMetrics metrics, ModelOutputs validation) {
  /** At most this many training samples give epoch 0's training loss and accuracy. */
  static final int MAX_TRAIN = 1_000;

  public StartEvaluation {
    if (metrics.epoch() != 0) {
      throw new IllegalArgumentException("the start is epoch 0, not " + metrics.epoch());
    }
  }

  /** Whether the job starts from a model that predicts its classes (see the class comment). */
  static boolean applies(EpochJob job) {
    return job.epoch() == 1
        && job.previousCheckpoint() == null
        && job.pretrainedCheckpoint() != null
        && job.headReuse() != null
        && job.headReuse().complete();
  }

  /**
   * Builds the job's starting model as {@link EpochTrainer} does (pretrained backbone, head reused)
   * and evaluates it; {@code null} when the job does not {@link #applies start} from such a model.
   * Call it after the epoch ran, which checked that the pretrained checkpoint fits.
   */
  static StartEvaluation of(EpochJob job) {
    if (!applies(job)) {
      return null;
    }
    long started = System.nanoTime();
    Checkpoint pretrained = CheckpointCodec.decode(job.pretrainedCheckpoint());
    Network network =
        Network.build(job.architecture(), job.shape(), job.numClasses(), job.params());
    try (Model model =
        Model.newInstance("tunelab-start", Devices.resolve(job.params().device()).device())) {
      model.setBlock(network.block());
      network.block().initialize(model.getNDManager(), DataType.FLOAT32, network.batchShape(1));
      network.load(pretrained.parameters(), true);
      job.headReuse().apply(network, pretrained.parameters());
      ModelOutputs val = network.predict(model.getNDManager(), job.val());
      ModelOutputs train = network.predict(model.getNDManager(), spread(job.train(), MAX_TRAIN));
      return new StartEvaluation(
          new EpochMetrics(
              0,
              train.loss(),
              train.acc(),
              val.loss(),
              val.acc(),
              0,
              (System.nanoTime() - started) / 1e9),
          val);
    }
  }

  /** At most {@code max} samples spread evenly over the split, in its order. */
  static LabeledImages spread(LabeledImages split, int max) {
    int n = split.size();
    if (n <= max) {
      return split;
    }
    List<Integer> indices = new ArrayList<>(max);
    for (int k = 0; k < max; k++) {
      indices.add((int) ((long) k * n / max));
    }
    return Probes.subset(split, indices);
  }
}
