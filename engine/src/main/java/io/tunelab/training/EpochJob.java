package io.tunelab.training;

import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.DataKind;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.util.List;
import java.util.Objects;

/**
 * One epoch of training to run: the network, the data, the hyper-parameters, and where to start
 * from.
 *
 * @param architecture {@code cnn}, {@code resnet18}, {@code resnet50} or {@code torchscript} for
 *     images, {@code mlp} for a table's rows (see {@link Network})
 * @param shape the shape of the images of both splits
 * @param numClasses the number of classes; labels are {@code 0..numClasses-1}
 * @param params optimizer, weight decay, freeze strategy, seed, batch size, device; its learning
 *     rate and schedule are ignored (see {@code learningRate})
 * @param epoch the epoch number, from 1
 * @param learningRate this epoch's learning rate (the caller computes the schedule)
 * @param train the training split
 * @param val the validation split
 * @param previousCheckpoint the checkpoint of epoch {@code epoch - 1}, or {@code null} on epoch 1
 * @param pretrainedCheckpoint used only when {@code previousCheckpoint} is {@code null}: a
 *     checkpoint of a source model of the same architecture whose backbone is loaded under a new
 *     head for {@code numClasses}; {@code null} trains from random initialisation. Always {@code
 *     null} for {@code torchscript}, whose start is {@code torchScript}
 * @param augmenter applied to training images only, with a random source seeded from (seed, epoch,
 *     image index); {@code null} means {@link Augmenter#NONE}
 * @param torchScript for {@code torchscript} on epoch 1 (no previous checkpoint): the archive the
 *     network is built from and whether its weights are kept; ignored when there is a previous
 *     checkpoint (it carries the module); {@code null} for the other architectures
 */
public record EpochJob(
    String architecture,
    SampleShape shape,
    int numClasses,
    TrainingParams params,
    int epoch,
    double learningRate,
    LabeledImages train,
    LabeledImages val,
    byte[] previousCheckpoint,
    byte[] pretrainedCheckpoint,
    Augmenter augmenter,
    TorchScriptStart torchScript,
    HeadReuse headReuse) {

  public EpochJob {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(val, "val");
    List<String> architectures = DataKind.of(shape).architectures();
    if (!architectures.contains(architecture)) {
      throw new IllegalArgumentException(
          "architecture must be one of " + String.join("|", architectures) + ": " + architecture);
    }
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be >= 2: " + numClasses);
    }
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1: " + epoch);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and > 0: " + learningRate);
    }
    if (!train.shape().equals(shape) || !val.shape().equals(shape)) {
      throw new IllegalArgumentException(
          "splits have shapes "
              + train.shape()
              + " and "
              + val.shape()
              + " but the job says "
              + shape);
    }
    if (train.size() == 0 || val.size() == 0) {
      throw new IllegalArgumentException(
          "empty split: " + train.size() + " training and " + val.size() + " validation images");
    }
    checkLabels("training", train, numClasses);
    checkLabels("validation", val, numClasses);
    if (augmenter == null) {
      augmenter = Augmenter.NONE;
    }
    if (headReuse != null && headReuse.sourceUnits().length != numClasses) {
      throw new IllegalArgumentException(
          "head reuse names " + headReuse.sourceUnits().length + " classes, not " + numClasses);
    }
    if (Network.TORCHSCRIPT.equals(architecture)) {
      if (pretrainedCheckpoint != null) {
        throw new IllegalArgumentException(
            "a torchscript job starts from its TorchScript archive,"
                + " not from a pretrained checkpoint");
      }
      if (previousCheckpoint == null && torchScript == null && epoch == 1) {
        throw new IllegalArgumentException(
            "epoch 1 of a torchscript job needs its TorchScript" + " archive");
      }
    } else if (torchScript != null) {
      throw new IllegalArgumentException("a " + architecture + " job has no TorchScript archive");
    }
  }

  private static void checkLabels(String name, LabeledImages split, int numClasses) {
    for (int i = 0; i < split.size(); i++) {
      int label = split.label(i);
      if (label < 0 || label >= numClasses) {
        throw new IllegalArgumentException(
            name + " label " + label + " of image " + i + " is outside 0.." + (numClasses - 1));
      }
    }
  }
}
