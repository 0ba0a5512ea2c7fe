package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code mlp} model of tables: one backbone stage per hidden layer, each [linear, relu, dropout
 * when its rate is above 0], and a head that is the output layer alone (a table's hidden layers are
 * what a fine-tune keeps, and {@code --freeze} freezes; {@code --head-dropout} does not apply, the
 * hidden layers' dropout is {@code --dropout}). Its parameters are named {@code
 * 01Backbone_0kSequentialBlock_01Linear_weight} and {@code ..._bias} for hidden layer k, so the
 * hidden widths can be read back from a checkpoint's weights.
 */
final class Mlp {
  /** The architecture's name, as {@code --model} takes it. */
  static final String NAME = "mlp";

  private static final String HIDDEN_PREFIX = "01Backbone_";

  private Mlp() {}

  /** The uninitialised parts for a table whose rows have {@code shape.features()} values. */
  static Architectures.Parts parts(
      SampleShape shape, int numClasses, List<Integer> hidden, double dropout) {
    if (shape.kind() != SampleKind.TABLE) {
      throw new IllegalArgumentException("the mlp model takes a table's rows, not " + shape);
    }
    if (hidden.isEmpty()) {
      throw new IllegalArgumentException("an mlp needs at least one hidden layer");
    }
    Backbone backbone = new Backbone();
    for (int units : hidden) {
      SequentialBlock layer =
          new SequentialBlock()
              .add(Linear.builder().setUnits(units).build())
              .add(Activation.reluBlock());
      if (dropout > 0) {
        layer.add(Dropout.builder().optRate((float) dropout).build());
      }
      backbone.add(layer);
    }
    SequentialBlock head = new SequentialBlock().add(Linear.builder().setUnits(numClasses).build());
    return new Architectures.Parts(backbone, head);
  }

  /**
   * The widths of the hidden layers whose weights a checkpoint of an mlp holds, input side first.
   */
  static List<Integer> hidden(Map<String, Checkpoint.Tensor> parameters) {
    List<Integer> hidden = new ArrayList<>();
    for (Map.Entry<String, Checkpoint.Tensor> e : parameters.entrySet()) {
      long[] shape = e.getValue().shape();
      if (e.getKey().startsWith(HIDDEN_PREFIX) && e.getKey().endsWith("_weight")) {
        hidden.add((int) shape[0]);
      }
    }
    return hidden;
  }

  /**
   * {@code sum(w^2)} over the weights (not the biases) of every dense layer, as a scalar in {@code
   * manager} that autograd follows back to the weights: the L2 penalty before its factor.
   */
  static NDArray squaredWeights(Network network, NDManager manager) {
    NDArray sum = null;
    for (Parameter p : network.parameters().values()) {
      if (p.getType() != Parameter.Type.WEIGHT) {
        continue;
      }
      // The square lands in the parameter's manager; moved to the batch's, it is freed with it.
      NDArray square = p.getArray().square();
      square.attach(manager);
      NDArray part = square.sum();
      sum = sum == null ? part : sum.add(part);
    }
    if (sum == null) {
      throw new IllegalStateException("the " + network.architecture() + " network has no weights");
    }
    return sum;
  }
}
