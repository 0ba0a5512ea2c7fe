package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A step whose gradients sum to exactly zero, as a dead network's do: DJL's trainer refuses its
 * first one, {@link TrainerStep} applies it.
 */
@Tag("integration")
class TrainerStepTest {
  @Test
  void aStepWhoseGradientsSumToZeroIsAppliedAnyway() {
    Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build();
    try (Model model = Model.newInstance("dead", Device.cpu())) {
      model.setBlock(Linear.builder().setUnits(2).build());
      try (Trainer trainer =
          model.newTrainer(
              new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                  .optOptimizer(sgd)
                  .optInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT)
                  .optInitializer(Initializer.ZEROS, Parameter.Type.BIAS)
                  .optDevices(new Device[] {Device.cpu()}))) {
        trainer.initialize(new Shape(4, 3));
        NDManager manager = trainer.getManager();
        // Zero inputs (units that output nothing) and equal logits: the bias's gradient is
        // mean(p - y) = (-0.5, 0.5), summing to exactly zero; the weight's is zero.
        NDArray x = manager.zeros(new Shape(4, 3));
        NDArray y = manager.create(new float[] {0, 0, 0, 0});
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
          collector.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(logits)));
        }

        IllegalStateException refused = assertThrows(IllegalStateException.class, trainer::step);
        assertTrue(refused.getMessage().startsWith(TrainerStep.ALL_ZERO), refused.getMessage());

        TrainerStep.apply(trainer, sgd);
        Parameter bias = model.getBlock().getParameters().get("bias");
        assertArrayEquals(
            new float[] {0.05f, -0.05f},
            bias.getArray().toFloatArray(),
            1e-6f,
            "bias - 0.1 * (-0.5, 0.5)");
        Parameter weight = model.getBlock().getParameters().get("weight");
        assertArrayEquals(new float[6], weight.getArray().toFloatArray(), 0f);
      }
    }
  }
}
