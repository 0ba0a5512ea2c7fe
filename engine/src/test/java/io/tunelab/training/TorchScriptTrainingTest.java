package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.evaluation.Evaluation;
import io.tunelab.evaluation.Evaluator;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fine-tuning and scratch training of a TorchScript ResNet-18 made by Debian's Python PyTorch (see
 * {@link TorchScriptFixture}) on Fashion-MNIST classes 0-2 as 3x32x32 images.
 */
@Tag("integration")
class TorchScriptTrainingTest {
  static final SampleShape RGB32 = SampleShape.image(3, 32, 32);
  static final String CONV1 = "01Backbone_01PtSymbolBlock_conv1.weight";

  private static byte[] archive;
  private static LabeledImages train;
  private static LabeledImages val;

  private final EpochTrainer trainer = new EpochTrainer();

  @BeforeAll
  static void data() {
    archive = TorchScriptFixture.resnet18Bytes();
    train = rgb32(FashionMnist.subset(FashionMnist.train(), 0, 96, 0, 2));
    val = rgb32(FashionMnist.subset(FashionMnist.test(), 0, 48, 0, 2));
  }

  /** Grey 28x28 images as 3x32x32: the grey value in every channel, centred on black. */
  static LabeledImages rgb32(LabeledImages grey) {
    int n = grey.size();
    byte[] out = new byte[n * RGB32.size()];
    for (int i = 0; i < n; i++) {
      byte[] src = grey.image(i);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 28; y++) {
          System.arraycopy(src, y * 28, out, i * RGB32.size() + c * 1024 + (y + 2) * 32 + 2, 28);
        }
      }
    }
    return new LabeledImages(RGB32, out, grey.labels().clone());
  }

  private static TrainingParams params(String optimizer, String freeze, long seed) {
    return FashionMnist.params(optimizer, freeze, seed, 32);
  }

  private EpochOutcome first(TrainingParams params, boolean keepWeights, double lr) {
    return trainer.run(
        new EpochJob(
            Network.TORCHSCRIPT,
            RGB32,
            3,
            params,
            1,
            lr,
            train,
            val,
            null,
            null,
            null,
            new TorchScriptStart(archive, keepWeights),
            null),
        null);
  }

  /**
   * Runs {@code work} on a new thread, as a Temporal worker runs activities: libtorch's autograd
   * mode is per thread, and DJL switches it off only on the thread that started the engine.
   */
  private static <T> T onFreshThread(Supplier<T> work) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.set(work.get());
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "like-an-activity");
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failure.get() != null) {
      throw new AssertionError("failed on a fresh thread: " + failure.get(), failure.get());
    }
    return result.get();
  }

  /** The module's parameters (by network name) as an archive holds them. */
  private static Map<String, float[]> moduleParameters(byte[] moduleArchive) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Network network = Network.fromTorchScript(moduleArchive, RGB32, 3, manager);
      Map<String, float[]> out = new LinkedHashMap<>();
      Map<String, Parameter> all = network.parameters();
      for (String name : network.moduleParameterNames()) {
        out.put(name, all.get(name).getArray().toFloatArray());
      }
      return out;
    }
  }

  /** The module's output in inference mode (weights and running statistics) for fixed input. */
  private static float[] moduleOutput(byte[] moduleArchive) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Network network = Network.fromTorchScript(moduleArchive, RGB32, 3, manager);
      NDArray x =
          Inputs.images(
              manager,
              new SampleBatch(val, null, 0, 8, RGB32, network.normalization(), null, 0, 0));
      return network
          .moduleBlock()
          .forward(new ParameterStore(manager, false), new NDList(x), false)
          .singletonOrThrow()
          .toFloatArray();
    }
  }

  @Test
  void fineTunesTheModuleWithANewHeadAndResumesFromTheCheckpoint() {
    TrainingParams params = params("sgd", "none", 7);
    long t0 = System.nanoTime();
    EpochOutcome e1 = onFreshThread(() -> first(params, true, 0.01));
    double s1 = (System.nanoTime() - t0) / 1e9;
    assertFalse(e1.diverged(), "epoch 1 diverged: " + e1.metrics());
    Checkpoint cp1 = CheckpointCodec.decode(e1.checkpoint());
    assertEquals(Network.TORCHSCRIPT, cp1.architecture());
    assertNotNull(cp1.module(), "the module travels in the checkpoint");
    for (String name : cp1.parameters().keySet()) {
      assertTrue(name.startsWith("02SequentialBlock_"), "only the head by name: " + name);
    }
    assertEquals(2, cp1.parameters().size(), "the head's linear weight and bias");
    // 62 module parameters + the head's 2 each had 3 SGD steps (96 images / 32).
    assertEquals(64, cp1.optimizerState().slots().size());
    assertEquals(3, cp1.optimizerState().slots().get(CONV1).steps());
    assertFalse(
        Arrays.equals(
            moduleParameters(archive).get(CONV1), moduleParameters(cp1.module()).get(CONV1)),
        "fine-tuning moved the module's weights");

    // The checkpoint alone reproduces the epoch's validation figures: module, buffers and head.
    Evaluation again =
        onFreshThread(
            () ->
                new Evaluator()
                    .evaluate(e1.checkpoint(), val, io.tunelab.workflows.model.Device.CPU));
    assertEquals(e1.metrics().valLoss(), again.loss(), 1e-6);
    assertEquals(e1.metrics().valAcc(), again.acc(), 1e-12);

    long t1 = System.nanoTime();
    EpochOutcome e2 =
        trainer.run(
            new EpochJob(
                Network.TORCHSCRIPT,
                RGB32,
                3,
                params,
                2,
                0.01,
                train,
                val,
                e1.checkpoint(),
                null,
                null,
                null,
                null),
            null);
    double s2 = (System.nanoTime() - t1) / 1e9;
    assertFalse(e2.diverged(), "epoch 2 diverged: " + e2.metrics());
    Checkpoint cp2 = CheckpointCodec.decode(e2.checkpoint());
    assertEquals(2, cp2.epoch());
    assertEquals(6, cp2.optimizerState().slots().get(CONV1).steps(), "momentum state resumed");
    System.out.printf(
        "torchscript resnet18 3x32x32, 96 train + 48 val images: epoch 1 %.2f s"
            + " (%.0f train img/s by the epoch's own clock), epoch 2 %.2f s; checkpoint %d MB;"
            + " e1 %s; e2 %s%n",
        s1,
        96 / e1.metrics().seconds(),
        s2,
        e2.checkpoint().length >> 20,
        e1.metrics(),
        e2.metrics());
  }

  @Test
  void continuingTheLiveModuleEqualsLoadingItsCheckpoint() {
    TrainingParams params = params("adam", "none", 11);
    EpochOutcome kept =
        onFreshThread(
            () ->
                trainer.run(
                    new EpochJob(
                        Network.TORCHSCRIPT,
                        RGB32,
                        3,
                        params,
                        1,
                        1e-3,
                        train,
                        val,
                        null,
                        null,
                        null,
                        new TorchScriptStart(archive, true),
                        null),
                    null,
                    null,
                    null,
                    null,
                    true));
    LiveModel live = kept.live();
    assertNotNull(live);
    EpochOutcome cold =
        onFreshThread(
            () ->
                trainer.run(
                    new EpochJob(
                        Network.TORCHSCRIPT,
                        RGB32,
                        3,
                        params,
                        2,
                        5e-4,
                        train,
                        val,
                        kept.checkpoint(),
                        null,
                        null,
                        null,
                        null),
                    null));
    EpochOutcome warm =
        onFreshThread(
            () ->
                trainer.run(
                    new EpochJob(
                        Network.TORCHSCRIPT,
                        RGB32,
                        3,
                        params,
                        2,
                        5e-4,
                        train,
                        val,
                        null,
                        null,
                        null,
                        null,
                        null),
                    null,
                    null,
                    null,
                    live,
                    false));
    assertNull(warm.live());
    assertEquals(cold.metrics().trainLoss(), warm.metrics().trainLoss(), 0.0);
    assertEquals(cold.metrics().valLoss(), warm.metrics().valLoss(), 0.0);
    Map<String, float[]> a = moduleParameters(CheckpointCodec.decode(cold.checkpoint()).module());
    Map<String, float[]> b = moduleParameters(CheckpointCodec.decode(warm.checkpoint()).module());
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name), b.get(name), name);
    }
    assertArrayEquals(
        moduleOutput(CheckpointCodec.decode(cold.checkpoint()).module()),
        moduleOutput(CheckpointCodec.decode(warm.checkpoint()).module()),
        "buffers too");
  }

  @Test
  void aFrozenBackboneKeepsTheModuleBitIdenticalAndTrainsTheHead() {
    EpochOutcome out = first(params("adam", "backbone", 3), true, 1e-3);
    assertFalse(out.diverged(), out.metrics().toString());
    Checkpoint cp = CheckpointCodec.decode(out.checkpoint());
    assertEquals(2, cp.optimizerState().slots().size(), "only the head was updated");
    Map<String, float[]> before = moduleParameters(archive);
    Map<String, float[]> after = moduleParameters(cp.module());
    assertEquals(before.keySet(), after.keySet());
    for (String name : before.keySet()) {
      assertArrayEquals(before.get(name), after.get(name), name);
    }
    // Same outputs in inference mode: the running statistics did not move either.
    assertArrayEquals(moduleOutput(archive), moduleOutput(cp.module()));
  }

  @Test
  void scratchReinitialisesTheModuleDeterministicallyFromTheSeed() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Network a = Network.fromTorchScript(archive, RGB32, 3, manager);
      Network b = Network.fromTorchScript(archive, RGB32, 3, manager);
      Network c = Network.fromTorchScript(archive, RGB32, 3, manager);
      float[] original = a.parameters().get(CONV1).getArray().toFloatArray();
      a.reinitialiseModule(5);
      b.reinitialiseModule(5);
      c.reinitialiseModule(6);
      for (String name : a.moduleParameterNames()) {
        assertArrayEquals(
            a.parameters().get(name).getArray().toFloatArray(),
            b.parameters().get(name).getArray().toFloatArray(),
            name);
      }
      float[] conv1 = a.parameters().get(CONV1).getArray().toFloatArray();
      assertFalse(Arrays.equals(original, conv1), "re-initialised");
      assertFalse(
          Arrays.equals(conv1, c.parameters().get(CONV1).getArray().toFloatArray()),
          "another seed gives other weights");
      double sum = 0;
      double squares = 0;
      for (float v : conv1) {
        sum += v;
        squares += (double) v * v;
      }
      double std = Math.sqrt(squares / conv1.length - Math.pow(sum / conv1.length, 2));
      double he = Math.sqrt(2.0 / (3 * 7 * 7));
      assertEquals(he, std, 0.05 * he, "He-normal standard deviation of conv1");
      for (float v :
          a.parameters().get("01Backbone_01PtSymbolBlock_bn1.weight").getArray().toFloatArray()) {
        assertEquals(1f, v);
      }
      for (float v :
          a.parameters().get("01Backbone_01PtSymbolBlock_fc.bias").getArray().toFloatArray()) {
        assertEquals(0f, v);
      }
    }

    EpochOutcome scratch = first(params("sgd", "none", 5), false, 0.01);
    assertFalse(scratch.diverged(), scratch.metrics().toString());
    EpochOutcome again = first(params("sgd", "none", 5), false, 0.01);
    assertEquals(
        scratch.metrics().trainLoss(),
        again.metrics().trainLoss(),
        "a scratch epoch is reproducible");
    assertEquals(scratch.metrics().valLoss(), again.metrics().valLoss());
    System.out.println("torchscript scratch epoch 1: " + scratch.metrics());
  }

  @Test
  void anArchiveThatCannotServeIsATorchScriptError() {
    assertEquals(1000, TorchScriptModules.check(archive, RGB32), "ResNet-18's 1000 logits");
    TorchScriptException grey =
        assertThrows(
            TorchScriptException.class,
            () -> TorchScriptModules.check(archive, SampleShape.image(1, 32, 32)));
    assertTrue(grey.getMessage().contains("cannot take 1x32x32 images"), grey.getMessage());
    assertFalse(grey.getMessage().contains("\n"), "one line: " + grey.getMessage());
    TorchScriptException garbage =
        assertThrows(
            TorchScriptException.class,
            () -> TorchScriptModules.check("not a model".getBytes(), RGB32));
    assertTrue(garbage.getMessage().contains("cannot load"), garbage.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new EpochJob(
                Network.TORCHSCRIPT,
                RGB32,
                3,
                params("sgd", "none", 1),
                1,
                0.01,
                train,
                val,
                null,
                null,
                null,
                null,
                null));
  }
}
