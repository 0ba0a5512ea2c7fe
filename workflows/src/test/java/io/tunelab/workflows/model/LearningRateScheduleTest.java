package io.tunelab.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  private static TrainingParams params(String schedule, int warmup) {
    return TrainingParams.builder()
        .epochs(9)
        .batchSize(32)
        .learningRate(0.1)
        .optimizer(Optimizer.SGD)
        .schedule(Schedule.parse(schedule))
        .seed(1)
        .device(Device.CPU)
        .warmupEpochs(warmup)
        .build();
  }

  @Test
  void warmupRisesLinearlyThenTheScheduleTakesOver() {
    TrainingParams p = params("none", 3);
    assertEquals(0.025, LearningRateSchedule.forEpoch(p, 1, List.of()), 1e-12);
    assertEquals(0.075, LearningRateSchedule.forEpoch(p, 3, List.of()), 1e-12);
    assertEquals(0.1, LearningRateSchedule.forEpoch(p, 4, List.of()), 1e-12);
  }

  @Test
  void stepCosineAndPlateau() {
    assertEquals(0.1, LearningRateSchedule.forEpoch(params("step", 0), 3, List.of()), 1e-12);
    assertEquals(0.01, LearningRateSchedule.forEpoch(params("step", 0), 4, List.of()), 1e-12);
    assertEquals(0.1, LearningRateSchedule.forEpoch(params("cosine", 0), 1, List.of()), 1e-12);
    assertEquals(0.05, LearningRateSchedule.forEpoch(params("cosine", 0), 5, List.of()), 0.01);
    List<EpochMetrics> flat = new ArrayList<>();
    for (int e = 1; e <= 4; e++) {
      flat.add(new EpochMetrics(e, 1, 0.5, e == 1 ? 1.0 : 1.1, 0.5, 0.1, 1));
    }
    // epochs 2 and 3 fail to improve on epoch 1: one cut by half after two waits
    assertEquals(0.05, LearningRateSchedule.forEpoch(params("plateau", 0), 5, flat), 1e-12);
  }

  @Test
  void theStepScheduleCutsByGammaAfterEachMilestone() {
    // The C3D story: 0.005 divided by 10, 100 and 1000 after epochs 4, 8 and 12.
    TrainingParams p =
        params("step", 0).toBuilder()
            .epochs(16)
            .learningRate(0.005)
            .milestones(List.of(4, 8, 12))
            .gamma(0.1)
            .build();
    double[] expected = {
      0.005, 0.005, 0.005, 0.005, 5e-4, 5e-4, 5e-4, 5e-4, 5e-5, 5e-5, 5e-5, 5e-5, 5e-6, 5e-6, 5e-6,
      5e-6
    };
    for (int epoch = 1; epoch <= 16; epoch++) {
      assertEquals(
          expected[epoch - 1],
          LearningRateSchedule.forEpoch(p, epoch, List.of()),
          1e-15,
          "epoch " + epoch);
    }
    // without milestones: every third of the epochs, by gamma
    TrainingParams thirds = params("step", 0).toBuilder().gamma(0.5).build();
    assertEquals(0.1, LearningRateSchedule.forEpoch(thirds, 3, List.of()), 1e-12);
    assertEquals(0.05, LearningRateSchedule.forEpoch(thirds, 4, List.of()), 1e-12);
    assertEquals(0.025, LearningRateSchedule.forEpoch(thirds, 7, List.of()), 1e-12);
  }
}
