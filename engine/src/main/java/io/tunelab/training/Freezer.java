package io.tunelab.training;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.tunelab.workflows.model.Freeze;
import java.util.List;
import java.util.Set;

/**
 * Sets which parameters of a {@link Network} train in an epoch under a freeze strategy: {@code
 * none} trains everything; {@code backbone} trains the head only; {@code gradual} trains the head
 * only in epoch 1, the head and the last backbone stage in epoch 2, and everything from epoch 3.
 * Batch-norm running statistics never take gradients and are left alone.
 */
final class Freezer {
  private final Backbone backbone;
  private final Set<Parameter> trainable;

  /**
   * @param trainable the parameters that take gradients when nothing is frozen (compared by
   *     identity)
   */
  Freezer(Backbone backbone, Set<Parameter> trainable) {
    this.backbone = backbone;
    this.trainable = trainable;
  }

  /** Applies a strategy for an epoch, from a network with every trainable parameter unfrozen. */
  void apply(Freeze strategy, int epoch) {
    for (Parameter p : trainable) {
      p.freeze(false);
    }
    switch (strategy) {
      case NONE:
        return;
      case BACKBONE:
        freezeBackbone();
        return;
      case GRADUAL:
        if (epoch <= 2) {
          freezeBackbone();
        }
        if (epoch == 2) {
          for (Parameter p : lastStage(backbone).getParameters().values()) {
            if (trainable.contains(p)) {
              p.freeze(false);
            }
          }
        }
        return;
      default:
        throw new IllegalArgumentException("freeze strategy: " + strategy);
    }
  }

  /**
   * The last backbone stage that has parameters (the block that {@code gradual} unfreezes in its
   * second epoch).
   */
  static Block lastStage(Backbone backbone) {
    List<Block> stages = backbone.getChildren().values();
    for (int i = stages.size() - 1; i >= 0; i--) {
      if (!stages.get(i).getParameters().isEmpty()) {
        return stages.get(i);
      }
    }
    throw new IllegalStateException("backbone has no parameters");
  }

  private void freezeBackbone() {
    for (Parameter p : backbone.getParameters().values()) {
      if (trainable.contains(p)) {
        p.freeze(true);
      }
    }
  }
}
