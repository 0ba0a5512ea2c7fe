package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The c3d model on clips whose class is a motion (a bright square moving right, left or down over
 * the frames; any single frame could be any class): C3D's layout, it learns the motion from
 * scratch, and a fine-tune from it keeps the convolutions and dense layers under a new output
 * layer.
 */
@Tag("integration")
class C3dTrainingTest {
  static final SampleShape SHAPE = SampleShape.clip(1, 8, 16, 16);

  /** {@code n} clips, class {@code i % classes}: 0 moves right, 1 left, 2 down. */
  static LabeledImages clips(int n, int classes, long seed) {
    Random random = new Random(seed);
    byte[] pixels = new byte[n * SHAPE.size()];
    int[] labels = new int[n];
    int t = SHAPE.frames();
    int h = SHAPE.height();
    int w = SHAPE.width();
    for (int i = 0; i < n; i++) {
      int label = i % classes;
      labels[i] = label;
      int x = 4 + random.nextInt(w - 8);
      int y = 4 + random.nextInt(h - 8);
      int base = i * SHAPE.size();
      for (int p = 0; p < SHAPE.size(); p++) {
        pixels[base + p] = (byte) random.nextInt(40);
      }
      for (int f = 0; f < t; f++) {
        int dx = label == 0 ? f / 2 : label == 1 ? -f / 2 : 0;
        int dy = label == 2 ? f / 2 : 0;
        for (int yy = -1; yy <= 1; yy++) {
          for (int xx = -1; xx <= 1; xx++) {
            int px = Math.floorMod(x + dx + xx, w);
            int py = Math.floorMod(y + dy + yy, h);
            pixels[base + (f * h + py) * w + px] = (byte) 230;
          }
        }
      }
    }
    return new LabeledImages(SHAPE, pixels, labels);
  }

  private static TrainingParams params(int epochs) {
    return TrainingParams.builder()
        .epochs(epochs)
        .batchSize(16)
        .learningRate(0.003)
        .optimizer(Optimizer.ADAM)
        .seed(7)
        .device(Device.CPU)
        .build();
  }

  private static EpochOutcome epoch(
      TrainingParams p,
      int epoch,
      LabeledImages train,
      LabeledImages val,
      int classes,
      byte[] previous,
      byte[] pretrained) {
    return new EpochTrainer()
        .run(
            new EpochJob(
                "c3d",
                SHAPE,
                classes,
                p,
                epoch,
                p.learningRate(),
                train,
                val,
                previous,
                pretrained,
                null,
                null,
                null),
            null);
  }

  @Test
  void itHasC3dsLayoutAndLearnsAMotionFromScratch() {
    Network network = Network.build("c3d", SHAPE, 3);
    long convs =
        network.parameters().keySet().stream()
            .filter(k -> k.contains("Conv3d") && k.endsWith("_weight"))
            .count();
    long dense =
        network.parameters().keySet().stream()
            .filter(k -> k.contains("Linear") && k.endsWith("_weight"))
            .count();
    assertEquals(8, convs, "C3D's eight 3x3x3 convolutions");
    assertEquals(3, dense, "two dense layers and the output layer");
    assertEquals(new ai.djl.ndarray.types.Shape(4, 1, 8, 16, 16), network.batchShape(4));

    LabeledImages train = clips(192, 3, 1);
    LabeledImages val = clips(60, 3, 2);
    TrainingParams p = params(4);
    byte[] previous = null;
    EpochOutcome last = null;
    for (int e = 1; e <= p.epochs(); e++) {
      last = epoch(p, e, train, val, 3, previous, null);
      assertFalse(last.diverged(), "epoch " + e);
      previous = last.checkpoint();
    }
    System.out.println("c3d from scratch: " + last.metrics());
    assertTrue(last.metrics().valAcc() > 0.8, "the motion is learned: " + last.metrics());
  }

  @Test
  void aFineTuneKeepsTheConvolutionsAndDenseLayersUnderANewOutputLayer() {
    LabeledImages source = clips(96, 3, 3);
    EpochOutcome pretrained = epoch(params(1), 1, source, clips(30, 3, 4), 3, null, null);
    // a target of 2 classes: the backbone comes from the source model, the head is new
    TrainingParams frozen = params(1).toBuilder().freeze(Freeze.BACKBONE).build();
    EpochOutcome tuned =
        epoch(frozen, 1, clips(64, 2, 5), clips(20, 2, 6), 2, null, pretrained.checkpoint());
    Map<String, Checkpoint.Tensor> before =
        CheckpointCodec.decode(pretrained.checkpoint()).parameters();
    Map<String, Checkpoint.Tensor> after = CheckpointCodec.decode(tuned.checkpoint()).parameters();
    int kept = 0;
    for (Map.Entry<String, Checkpoint.Tensor> e : after.entrySet()) {
      if (e.getKey().startsWith("01Backbone") && e.getKey().endsWith("_weight")) {
        assertTrue(
            java.util.Arrays.equals(e.getValue().values(), before.get(e.getKey()).values()),
            e.getKey() + " frozen");
        kept++;
      }
    }
    assertEquals(10, kept, "8 convolutions and 2 dense layers kept");
  }

  /**
   * What a resumed worker does (the epoch after a checkpoint, read back into a new network) gives
   * exactly what the worker that kept the model alive gives: parameters, batch-norm statistics,
   * optimizer state, augmentation and dropout draws all come back bit for bit.
   */
  @Test
  void anEpochFromItsCheckpointEqualsTheLiveModelsEpochBitForBit() {
    LabeledImages train = clips(64, 3, 7);
    LabeledImages val = clips(24, 3, 8);
    TrainingParams p =
        params(3).toBuilder()
            .augment(Augment.STANDARD)
            .headDropout(0.3)
            .optimizer(Optimizer.SGD)
            .build();
    EpochTrainer trainer = new EpochTrainer();
    EpochOutcome first = trainer.run(job(p, 1, train, val, null), null, null, null, null, true);
    EpochOutcome live =
        trainer.run(
            job(p, 2, train, val, first.checkpoint()), null, null, null, first.live(), false);
    EpochOutcome resumed = trainer.run(job(p, 2, train, val, first.checkpoint()), null);
    assertEquals(live.metrics().trainLoss(), resumed.metrics().trainLoss(), 0.0);
    assertEquals(live.metrics().valLoss(), resumed.metrics().valLoss(), 0.0);
    // The same bytes but for the epoch's wall time in its metrics.
    Checkpoint a = CheckpointCodec.decode(live.checkpoint());
    Checkpoint b = CheckpointCodec.decode(resumed.checkpoint());
    Checkpoint bTimedAsA =
        new Checkpoint(
            b.architecture(),
            b.shape(),
            b.numClasses(),
            b.epoch(),
            b.rng(),
            a.metrics(),
            b.parameters(),
            b.optimizerState(),
            b.module());
    assertTrue(
        java.util.Arrays.equals(CheckpointCodec.encode(a), CheckpointCodec.encode(bTimedAsA)),
        "the checkpoints after epoch 2 are the same bytes");
  }

  private static EpochJob job(
      TrainingParams p, int epoch, LabeledImages train, LabeledImages val, byte[] previous) {
    return new EpochJob(
        "c3d",
        SHAPE,
        3,
        p,
        epoch,
        p.learningRate(),
        train,
        val,
        previous,
        null,
        io.tunelab.dataset.ClipAugmenter.of(p.augment()),
        null,
        null);
  }

  /**
   * {@code --head reuse} on clips: the target's class "left" is the source's second class, so its
   * output unit starts as that unit and, after an epoch at a rate too small to move it, still is;
   * the other class's unit is a new head's.
   */
  @Test
  void headReuseKeepsTheSharedClassesOutputRows() {
    EpochOutcome pretrained = epoch(params(1), 1, clips(96, 3, 9), clips(30, 3, 10), 3, null, null);
    Checkpoint src = CheckpointCodec.decode(pretrained.checkpoint());
    HeadReuse reuse = HeadReuse.of(List.of("spin", "left"), List.of("right", "left", "down"));
    TrainingParams tiny = params(1).toBuilder().optimizer(Optimizer.SGD).learningRate(1e-6).build();
    LabeledImages train = clips(32, 2, 11);
    LabeledImages val = clips(12, 2, 12);
    Checkpoint reused = CheckpointCodec.decode(fineTune(tiny, train, val, pretrained, reuse));
    Checkpoint renewed = CheckpointCodec.decode(fineTune(tiny, train, val, pretrained, null));
    List<String> output = Network.build("c3d", SHAPE, 2, tiny).outputLayerParameterNames();
    assertEquals(2, output.size(), output.toString());
    for (String name : output) {
      float[] pre = src.parameters().get(name).values();
      float[] withReuse = reused.parameters().get(name).values();
      float[] withNew = renewed.parameters().get(name).values();
      int width = withReuse.length / 2;
      double apart = 0;
      for (int i = 0; i < width; i++) {
        assertEquals(pre[width + i], withReuse[width + i], 1e-3, name + " 'left' reused");
        assertEquals(withNew[i], withReuse[i], 1e-3, name + " 'spin' as a new head's");
        apart = Math.max(apart, Math.abs(pre[width + i] - withNew[width + i]));
      }
      if (name.endsWith("_weight")) { // biases start at 0 and stay near it after one epoch
        assertTrue(
            apart > 1e-2, name + ": a new head's 'left' is not the pretrained one: " + apart);
      }
    }
  }

  private static byte[] fineTune(
      TrainingParams p,
      LabeledImages train,
      LabeledImages val,
      EpochOutcome pretrained,
      HeadReuse reuse) {
    return new EpochTrainer()
        .run(
            new EpochJob(
                "c3d",
                SHAPE,
                2,
                p,
                1,
                p.learningRate(),
                train,
                val,
                null,
                pretrained.checkpoint(),
                null,
                null,
                reuse),
            null)
        .checkpoint();
  }
}
