package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;

/**
 * One optimizer step on a DJL {@link Trainer}, also where DJL refuses it. Before the first step of
 * every trainer DJL checks that the gradients do not sum to exactly zero, to catch a missing {@code
 * backward()}. tunelab makes a trainer per epoch, so the check runs at every epoch's first step,
 * and a network whose hidden units all died (after a diverging learning rate) fails it although its
 * gradients are real: softmax cross-entropy's gradients of the head's logits sum to zero for every
 * image, and nothing upstream of dead units gets any. A bare loop with one trainer would have gone
 * on training; so does this step, by applying the update as the trainer would have on one device.
 */
final class TrainerStep {
  /** The start of the message of DJL's refusal. */
  static final String ALL_ZERO = "Gradient values are all zeros";

  private TrainerStep() {}

  /** Updates every trainable parameter of the trainer's model from its gradient. */
  static void apply(Trainer trainer, Optimizer optimizer) {
    try {
      trainer.step();
    } catch (IllegalStateException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith(ALL_ZERO)) {
        throw e;
      }
      for (Parameter parameter : trainer.getModel().getBlock().getParameters().values()) {
        if (parameter.requiresGradient()) {
          NDArray weight = parameter.getArray();
          try (NDArray gradient = weight.getGradient()) {
            optimizer.update(parameter.getId(), weight, gradient);
          }
        }
      }
    }
  }
}
