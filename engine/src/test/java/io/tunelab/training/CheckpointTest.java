package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.SampleShape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class CheckpointTest {

  private static Checkpoint sample() {
    Map<String, Checkpoint.Tensor> params = new LinkedHashMap<>();
    params.put(
        "01Backbone_conv_weight",
        new Checkpoint.Tensor(new long[] {2, 1, 2, 2}, new float[] {1, -2, 3.5f, 4, 5, 6, 7, 8}));
    params.put("02Head_bias", new Checkpoint.Tensor(new long[] {3}, new float[] {0.1f, 0, -0f}));
    Map<String, Checkpoint.Slot> slots = new LinkedHashMap<>();
    slots.put(
        "02Head_bias",
        new Checkpoint.Slot(
            17,
            List.of(
                new Checkpoint.Tensor(new long[] {3}, new float[] {1e-3f, 2e-3f, Float.MIN_VALUE}),
                new Checkpoint.Tensor(new long[] {3}, new float[] {4, 5, 6}))));
    return new Checkpoint(
        "cnn",
        SampleShape.image(1, 28, 28),
        3,
        4,
        new Checkpoint.RngInfo(42, -7, 99, 1000, 16),
        new EpochMetrics(4, 0.5, 0.8, 0.6, 0.75, 1e-3, 12.5),
        params,
        new Checkpoint.OptimizerState("adam", slots),
        null);
  }

  @Test
  void roundTripsEveryField() {
    Checkpoint c = CheckpointCodec.decode(CheckpointCodec.encode(sample()));
    assertEquals("cnn", c.architecture());
    assertEquals(SampleShape.image(1, 28, 28), c.shape());
    assertEquals(3, c.numClasses());
    assertEquals(4, c.epoch());
    assertEquals(new Checkpoint.RngInfo(42, -7, 99, 1000, 16), c.rng());
    assertEquals(new EpochMetrics(4, 0.5, 0.8, 0.6, 0.75, 1e-3, 12.5), c.metrics());
    assertEquals(
        List.of("01Backbone_conv_weight", "02Head_bias"), List.copyOf(c.parameters().keySet()));
    assertTrue(
        sample()
            .parameters()
            .get("01Backbone_conv_weight")
            .sameAs(c.parameters().get("01Backbone_conv_weight")));
    assertArrayEquals(new float[] {0.1f, 0, -0f}, c.parameters().get("02Head_bias").values());
    assertEquals("adam", c.optimizerState().optimizer());
    Checkpoint.Slot slot = c.optimizerState().slots().get("02Head_bias");
    assertEquals(17, slot.steps());
    assertArrayEquals(new float[] {1e-3f, 2e-3f, Float.MIN_VALUE}, slot.buffers().get(0).values());
    assertArrayEquals(new float[] {4, 5, 6}, slot.buffers().get(1).values());
    // Encoding is deterministic.
    assertArrayEquals(CheckpointCodec.encode(sample()), CheckpointCodec.encode(c));
  }

  @Test
  void everySingleBitFlipIsDetected() {
    byte[] good = CheckpointCodec.encode(sample());
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= (byte) (1 << (i % 8));
      int at = i;
      CorruptCheckpointException e =
          assertThrows(
              CorruptCheckpointException.class,
              () -> CheckpointCodec.decode(bad),
              "flip at byte " + at);
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
  }

  @Test
  void truncationPaddingAndGarbageAreDetected() {
    byte[] good = CheckpointCodec.encode(sample());
    for (int len : new int[] {0, 3, 10, 47, good.length / 2, good.length - 1}) {
      CorruptCheckpointException e =
          assertThrows(
              CorruptCheckpointException.class,
              () -> CheckpointCodec.decode(Arrays.copyOf(good, len)),
              "truncated to " + len);
      assertTrue(
          e.getMessage().contains("truncated") || e.getMessage().contains("magic"), e.getMessage());
    }
    assertThrows(
        CorruptCheckpointException.class,
        () -> CheckpointCodec.decode(Arrays.copyOf(good, good.length + 1)));
    assertThrows(CorruptCheckpointException.class, () -> CheckpointCodec.decode(new byte[200]));
    assertThrows(CorruptCheckpointException.class, () -> CheckpointCodec.decode(null));
    CorruptCheckpointException flipped =
        assertThrows(
            CorruptCheckpointException.class,
            () -> {
              byte[] bad = good.clone();
              bad[good.length / 2] ^= 0x40;
              CheckpointCodec.decode(bad);
            });
    assertTrue(flipped.getMessage().contains("checksum"), flipped.getMessage());
  }

  @Test
  void aTorchScriptCheckpointCarriesItsModuleArchive() {
    Checkpoint plain = sample();
    byte[] archive = {'P', 'K', 3, 4, 0, -1, 42};
    Checkpoint ts =
        new Checkpoint(
            Network.TORCHSCRIPT,
            SampleShape.image(3, 32, 32),
            3,
            1,
            plain.rng(),
            plain.metrics(),
            plain.parameters(),
            plain.optimizerState(),
            archive);
    Checkpoint back = CheckpointCodec.decode(CheckpointCodec.encode(ts));
    assertArrayEquals(archive, back.module());
    assertArrayEquals(archive, back.withOptimizerState(null).module());
    assertEquals(null, CheckpointCodec.decode(CheckpointCodec.encode(plain)).module());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Checkpoint(
                Network.TORCHSCRIPT,
                SampleShape.image(3, 32, 32),
                3,
                1,
                plain.rng(),
                null,
                Map.of(),
                null,
                null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Checkpoint(
                "cnn",
                SampleShape.image(1, 28, 28),
                3,
                1,
                plain.rng(),
                null,
                Map.of(),
                null,
                archive));
  }

  @Test
  void formatVersionOneIsStillRead() throws Exception {
    // Version 2 appends "no module" (one false byte) to version 1's payload.
    byte[] v2 = CheckpointCodec.encode(sample());
    int payload = v2.length - 16 - 32 - 1;
    java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(16 + payload + 32);
    v1.putInt(0x544c434b).putInt(1).putLong(payload).put(v2, 16, payload);
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    sha.update(v1.array(), 0, 16 + payload);
    v1.put(sha.digest());
    Checkpoint old = CheckpointCodec.decode(v1.array());
    assertArrayEquals(
        v2, CheckpointCodec.encode(old), "a version-1 checkpoint reads as the same checkpoint");
    byte[] v3 = v2.clone();
    v3[7] = 3;
    assertThrows(CorruptCheckpointException.class, () -> CheckpointCodec.decode(v3));
  }

  @Test
  void aRealCheckpointSurvivesARoundTripAndCorruption() {
    var train = FashionMnist.subset(FashionMnist.train(), 0, 64);
    var val = FashionMnist.subset(FashionMnist.test(), 0, 32);
    EpochOutcome out =
        new EpochTrainer()
            .run(
                new EpochJob(
                    "cnn",
                    train.shape(),
                    10,
                    FashionMnist.params("sgd", "none", 5, 32),
                    1,
                    0.01,
                    train,
                    val,
                    null,
                    null,
                    null,
                    null,
                    null),
                null);
    byte[] bytes = out.checkpoint();
    Checkpoint c = CheckpointCodec.decode(bytes);
    assertArrayEquals(bytes, CheckpointCodec.encode(c));
    assertEquals(2, c.optimizerState().slots().values().iterator().next().steps());
    byte[] bad = bytes.clone();
    bad[bytes.length / 3] ^= 1;
    assertThrows(CorruptCheckpointException.class, () -> CheckpointCodec.decode(bad));
    assertThrows(
        CorruptCheckpointException.class,
        () -> CheckpointCodec.decode(Arrays.copyOf(bytes, bytes.length - 100)));
    // A corrupt previous checkpoint fails the epoch with the same exception.
    assertThrows(
        CorruptCheckpointException.class,
        () ->
            new EpochTrainer()
                .run(
                    new EpochJob(
                        "cnn",
                        train.shape(),
                        10,
                        FashionMnist.params("sgd", "none", 5, 32),
                        2,
                        0.01,
                        train,
                        val,
                        bad,
                        null,
                        null,
                        null,
                        null),
                    null));
  }
}
