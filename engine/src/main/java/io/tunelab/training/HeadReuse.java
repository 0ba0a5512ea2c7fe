package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The output units a fine-tune takes over from the pretrained model's output layer ({@code --head
 * reuse}): a target class whose name the pretrained model also has starts from that class's unit
 * (its row of the output weights and its bias); the other classes' units stay new. The head's
 * hidden layers (the {@code cnn}'s linear 128), which the output units read, start from the
 * pretrained model's too: a reused unit on a new hidden layer would weigh features it never saw.
 *
 * @param sourceUnits for each target class (by label), the pretrained output unit it starts from,
 *     or -1 for a new unit
 */
public record HeadReuse(int[] sourceUnits) {
  public HeadReuse {
    sourceUnits = sourceUnits.clone();
  }

  /** The units of the target classes named as pretrained classes are, in the target's order. */
  public static HeadReuse of(List<String> targetClasses, List<String> pretrainedClasses) {
    int[] units = new int[targetClasses.size()];
    for (int c = 0; c < units.length; c++) {
      units[c] = pretrainedClasses.indexOf(targetClasses.get(c));
    }
    return new HeadReuse(units);
  }

  @Override
  public int[] sourceUnits() {
    return sourceUnits.clone();
  }

  /** How many target classes start from a pretrained unit. */
  public int reused() {
    return (int) Arrays.stream(sourceUnits).filter(u -> u >= 0).count();
  }

  /**
   * Whether every target class starts from a pretrained unit: the fine-tune then starts from the
   * pretrained model itself, restricted to the target's classes, which predicts before any step.
   */
  public boolean complete() {
    return reused() == sourceUnits.length;
  }

  /**
   * Overwrites the head's hidden layers and the reused units of the network's output layer
   * (initialised) with the pretrained model's.
   *
   * @throws IllegalArgumentException when the network has another number of classes, or the
   *     pretrained parameters lack the output layer, have another input width or fewer units than a
   *     reused one, or hold a hidden head layer of another shape
   */
  void apply(Network network, Map<String, Checkpoint.Tensor> pretrained) {
    int classes = network.numClasses();
    if (classes != sourceUnits.length) {
      throw new IllegalArgumentException(
          "head reuse for " + sourceUnits.length + " classes, network has " + classes);
    }
    for (String name : network.headHiddenParameterNames()) {
      Checkpoint.Tensor source = pretrained.get(name);
      if (source == null) {
        continue; // a model saved with the older cnn, whose linear layer was in its backbone
      }
      NDArray array = network.parameters().get(name).getArray();
      if (!array.getShape().equals(new Shape(source.shape()))) {
        throw new IllegalArgumentException(
            "pretrained head layer "
                + name
                + " has shape "
                + Arrays.toString(source.shape())
                + ", not "
                + array.getShape());
      }
      array.set(source.values());
    }
    for (String name : network.outputLayerParameterNames()) {
      Checkpoint.Tensor source = pretrained.get(name);
      if (source == null) {
        throw new IllegalArgumentException("pretrained checkpoint lacks output layer " + name);
      }
      Parameter parameter = network.parameters().get(name);
      float[] values = parameter.getArray().toFloatArray();
      int width = values.length / classes;
      int sourceUnitsCount = (int) source.shape()[0];
      if (source.values().length != sourceUnitsCount * width) {
        throw new IllegalArgumentException(
            "pretrained output layer "
                + name
                + " has shape "
                + Arrays.toString(source.shape())
                + ", not "
                + width
                + " values per unit");
      }
      for (int c = 0; c < classes; c++) {
        int unit = sourceUnits[c];
        if (unit >= sourceUnitsCount) {
          throw new IllegalArgumentException(
              "pretrained output layer has " + sourceUnitsCount + " units, not unit " + unit);
        }
        if (unit >= 0) {
          System.arraycopy(source.values(), unit * width, values, c * width, width);
        }
      }
      parameter.getArray().set(values);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeadReuse h && Arrays.equals(sourceUnits, h.sourceUnits);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sourceUnits);
  }

  @Override
  public String toString() {
    return "HeadReuse" + Arrays.toString(sourceUnits);
  }
}
