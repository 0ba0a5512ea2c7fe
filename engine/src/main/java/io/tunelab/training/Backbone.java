package io.tunelab.training;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The feature extractor of a {@link Network}: a sequence of stages whose stages with every
 * trainable parameter frozen run in inference mode even while the model trains. That keeps the
 * batch-norm running statistics of a frozen stage fixed, so a frozen backbone stays bit-identical
 * (PyTorch's usual "frozen feature extractor in eval mode").
 */
final class Backbone extends SequentialBlock {

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDList current = inputs;
    for (Block stage : getChildren().values()) {
      current = stage.forward(parameterStore, current, training && !isFrozen(stage), params);
    }
    return current;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList data, NDList labels, PairList<String, Object> params) {
    return forwardInternal(parameterStore, data, true, params);
  }

  /** A stage is frozen when it has parameters and none of them takes a gradient. */
  static boolean isFrozen(Block stage) {
    boolean any = false;
    for (Parameter p : stage.getParameters().values()) {
      if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR) {
        continue;
      }
      any = true;
      if (p.requiresGradient()) {
        return false;
      }
    }
    return any;
  }
}
