package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.TrainingParams;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Source model on Fashion-MNIST classes 0-4, fine-tuned on classes 5-9 (relabelled 0-4) with a new
 * head.
 */
@Tag("integration")
class FineTuneTest {
  private static LabeledImages targetTrain;
  private static LabeledImages targetVal;
  private static byte[] pretrained;
  private static Set<String> backboneNames;
  private static Set<String> lastStageNames;

  private final EpochTrainer trainer = new EpochTrainer();

  @BeforeAll
  static void trainSource() {
    LabeledImages sourceTrain = FashionMnist.subset(FashionMnist.train(), 0, 600, 0, 4);
    LabeledImages sourceVal = FashionMnist.subset(FashionMnist.test(), 0, 200, 0, 4);
    targetTrain = FashionMnist.subset(FashionMnist.train(), 0, 500, 5, 9);
    targetVal = FashionMnist.subset(FashionMnist.test(), 0, 200, 5, 9);
    EpochOutcome source =
        new EpochTrainer()
            .run(
                new EpochJob(
                    "cnn",
                    sourceTrain.shape(),
                    5,
                    FashionMnist.params("adam", "none", 100, 32),
                    1,
                    1e-3,
                    sourceTrain,
                    sourceVal,
                    null,
                    null,
                    null,
                    null,
                    null),
                null);
    System.out.println("source (classes 0-4): " + source.metrics());
    pretrained = source.checkpoint();
    Network net = Network.build("cnn", sourceTrain.shape(), 5);
    backboneNames = net.backboneParameterNames();
    lastStageNames = net.lastStageParameterNames();
  }

  private EpochOutcome epoch(String freeze, int epoch, byte[] previous) {
    return epoch(freeze, epoch, previous, 1e-3);
  }

  private EpochOutcome epoch(String freeze, int epoch, byte[] previous, double lr) {
    TrainingParams params = FashionMnist.params("adam", freeze, 7, 32);
    return trainer.run(
        new EpochJob(
            "cnn",
            targetTrain.shape(),
            5,
            params,
            epoch,
            lr,
            targetTrain,
            targetVal,
            previous,
            previous == null ? pretrained : null,
            null,
            null,
            null),
        null);
  }

  private static Map<String, Checkpoint.Tensor> params(byte[] checkpoint) {
    return CheckpointCodec.decode(checkpoint).parameters();
  }

  private static boolean same(byte[] a, byte[] b, String name) {
    return params(a).get(name).sameAs(params(b).get(name));
  }

  @Test
  void networkSplitsIntoBackboneAndHead() {
    assertEquals(
        16,
        params(pretrained).size(),
        "2 convs + 2 batch norms (4 each) in the backbone, 2 linear layers in the head");
    assertEquals(12, backboneNames.size());
    assertEquals(
        Set.of(
            "01Backbone_02SequentialBlock_01Conv2d_weight",
            "01Backbone_02SequentialBlock_01Conv2d_bias",
            "01Backbone_02SequentialBlock_02BatchNorm_gamma",
            "01Backbone_02SequentialBlock_02BatchNorm_beta",
            "01Backbone_02SequentialBlock_02BatchNorm_runningMean",
            "01Backbone_02SequentialBlock_02BatchNorm_runningVar"),
        lastStageNames);
  }

  @Test
  void frozenBackboneStaysBitIdenticalWhileTheNewHeadLearns() {
    EpochOutcome e1 = epoch("backbone", 1, null, 1e-3);
    EpochOutcome e2 = epoch("backbone", 2, e1.checkpoint(), 1e-3);
    System.out.println("freeze=backbone: " + e1.metrics() + " / " + e2.metrics());
    for (String name : backboneNames) {
      assertTrue(same(pretrained, e1.checkpoint(), name), "epoch 1 changed " + name);
      assertTrue(same(pretrained, e2.checkpoint(), name), "epoch 2 changed " + name);
    }
    for (String name : params(e1.checkpoint()).keySet()) {
      if (!backboneNames.contains(name)) {
        assertFalse(same(e1.checkpoint(), e2.checkpoint(), name), "head did not train: " + name);
      }
    }
    // The optimizer never saw a frozen parameter.
    Set<String> updated = CheckpointCodec.decode(e2.checkpoint()).optimizerState().slots().keySet();
    assertEquals(4, updated.size(), "the head's two linear layers: " + updated);
    assertTrue(updated.stream().noneMatch(backboneNames::contains));
    // Only the head learns, yet it learns: 5 classes, chance is 0.2.
    assertTrue(e2.metrics().valLoss() < e1.metrics().valLoss(), "val loss falls");
    assertTrue(e2.metrics().valAcc() > 0.6, "head on pretrained features: " + e2.metrics());
  }

  @Test
  void unfrozenBackboneChanges() {
    EpochOutcome e1 = epoch("none", 1, null);
    System.out.println("freeze=none: " + e1.metrics());
    int changed = 0;
    for (String name : backboneNames) {
      if (!same(pretrained, e1.checkpoint(), name)) {
        changed++;
      }
    }
    assertEquals(backboneNames.size(), changed, "every backbone tensor trains (stats included)");
  }

  @Test
  void gradualUnfreezesTheLastStageThenEverything() {
    EpochOutcome e1 = epoch("gradual", 1, null);
    EpochOutcome e2 = epoch("gradual", 2, e1.checkpoint());
    EpochOutcome e3 = epoch("gradual", 3, e2.checkpoint());
    System.out.println(
        "freeze=gradual: " + e1.metrics() + " / " + e2.metrics() + " / " + e3.metrics());
    for (String name : backboneNames) {
      assertTrue(same(pretrained, e1.checkpoint(), name), "epoch 1 changed " + name);
      boolean last = lastStageNames.contains(name);
      assertEquals(
          !last,
          same(e1.checkpoint(), e2.checkpoint(), name),
          "epoch 2: " + name + (last ? " should" : " should not") + " change");
      assertFalse(same(e2.checkpoint(), e3.checkpoint(), name), "epoch 3 kept " + name);
    }
  }

  @Test
  void pretrainedCheckpointMustMatchArchitectureAndShape() {
    LabeledImages padded = FashionMnist.subset(FashionMnist.train(), 0, 8);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                trainer.run(
                    new EpochJob(
                        "resnet18",
                        padded.shape(),
                        5,
                        FashionMnist.params("adam", "backbone", 7, 32),
                        1,
                        1e-3,
                        targetTrain,
                        targetVal,
                        null,
                        pretrained,
                        null,
                        null,
                        null),
                    null));
    assertTrue(e.getMessage().contains("cnn"), e.getMessage());
  }

  @Test
  void backboneLearningRateFactorScalesTheBackbonesStepOnly() {
    // one SGD step on one batch: the first step moves every weight by lr × gradient, so a factor
    // 0.1 on the backbone moves it a tenth as far, and the head exactly as far
    LabeledImages batch =
        Probes.subset(targetTrain, java.util.stream.IntStream.range(0, 32).boxed().toList());
    TrainingParams one = FashionMnist.params("sgd", "none", 7, 32);
    TrainingParams tenth = one.withBackboneLrFactor(0.1);
    byte[] full =
        trainer
            .run(
                new EpochJob(
                    "cnn",
                    batch.shape(),
                    5,
                    one,
                    1,
                    0.05,
                    batch,
                    targetVal,
                    null,
                    pretrained,
                    null,
                    null,
                    null),
                null)
            .checkpoint();
    byte[] gentle =
        trainer
            .run(
                new EpochJob(
                    "cnn",
                    batch.shape(),
                    5,
                    tenth,
                    1,
                    0.05,
                    batch,
                    targetVal,
                    null,
                    pretrained,
                    null,
                    null,
                    null),
                null)
            .checkpoint();
    Map<String, Checkpoint.Tensor> start = params(pretrained);
    int compared = 0;
    for (String name : params(full).keySet()) {
      if (name.contains("running") || !start.containsKey(name)) {
        continue;
      }
      float[] w0 = start.get(name).values();
      float[] wFull = params(full).get(name).values();
      float[] wGentle = params(gentle).get(name).values();
      double expected = backboneNames.contains(name) ? 0.1 : 1.0;
      double dotFull = 0;
      double dotGentle = 0;
      for (int k = 0; k < w0.length; k++) {
        double dFull = wFull[k] - w0[k];
        dotFull += dFull * dFull;
        dotGentle += dFull * (wGentle[k] - w0[k]);
      }
      if (dotFull > 0) {
        // a conv bias before batch norm has a gradient near zero, all rounding: skip it
        if (name.endsWith("Conv2d_bias")) {
          continue;
        }
        assertEquals(expected, dotGentle / dotFull, 0.02 * expected, name);
        compared++;
      }
    }
    assertTrue(compared >= 4, "compared " + compared + " tensors");
  }
}
