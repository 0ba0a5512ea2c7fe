package io.tunelab.evaluation;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.training.Checkpoint;
import io.tunelab.training.CheckpointCodec;
import io.tunelab.training.Devices;
import io.tunelab.training.ModelOutputs;
import io.tunelab.training.Network;
import io.tunelab.workflows.model.Device;

/**
 * Evaluates a {@link Checkpoint} on a split: rebuilds the network the checkpoint describes (from
 * the module archive it carries, for {@code torchscript}), loads its parameters and predicts every
 * image in inference mode. On the validation split it gives exactly the validation figures the
 * epoch recorded, because it runs the same code ({@link Network#predict}) on the same values with
 * the same batch size.
 *
 * <p>Building the network draws from the engine's process-global random generator (the random
 * initial values are then overwritten), so like {@link io.tunelab.training.EpochTrainer} it must
 * not run concurrently with training in the same process. Instances hold no state.
 */
public final class Evaluator {

  /**
   * Evaluates a checkpoint.
   *
   * @param checkpoint encoded checkpoint bytes
   * @param split images of the checkpoint's shape, labelled {@code 0..numClasses-1}
   * @param device {@code auto}, {@code cpu} or {@code gpu} (see {@link Devices})
   * @throws io.tunelab.training.CorruptCheckpointException when the checkpoint is corrupt
   * @throws IllegalArgumentException when the split does not fit the checkpoint
   * @throws io.tunelab.training.TorchScriptException when a {@code torchscript} checkpoint's module
   *     cannot be loaded or cannot take the split's images
   */
  public Evaluation evaluate(byte[] checkpoint, LabeledImages split, Device device) {
    Checkpoint saved = CheckpointCodec.decode(checkpoint);
    if (!split.shape().equals(saved.shape())) {
      throw new IllegalArgumentException(
          "split has "
              + split.shape()
              + " images but the checkpoint's model takes "
              + saved.shape());
    }
    try (Model model = Model.newInstance("tunelab-eval", Devices.resolve(device).device())) {
      Network network = Network.forCheckpoint(saved, model.getNDManager());
      model.setBlock(network.block());
      network.block().initialize(model.getNDManager(), DataType.FLOAT32, network.batchShape(1));
      network.load(saved.parameters(), false);
      ModelOutputs p = network.predict(model.getNDManager(), split);
      return new Evaluation(p.loss(), p.acc(), p.predicted(), p.confidence(), p.exampleLoss());
    }
  }
}
