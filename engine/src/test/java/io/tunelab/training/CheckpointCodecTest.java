package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.SampleShape;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The byte format of checkpoints: stored checkpoints must keep loading. */
class CheckpointCodecTest {
  /** The encoding of {@link #sample()} by format version 2, as written since that version. */
  private static final String VERSION_2_SAMPLE =
      "544c434b00000002000000000000014f0003636e6e000000010000001c0000001c00000003000000"
          + "04000000000000002afffffffffffffff900000063000003e80000001001000000043fe000000000"
          + "00003fe999999999999a3fe33333333333333fe80000000000003f50624dd2f1a9fc402900000000"
          + "000000000002001630314261636b626f6e655f636f6e765f77656967687400000004000000000000"
          + "0002000000000000000100000000000000020000000000000002000000080000803f000000c00000"
          + "6040000080400000a0400000c0400000e04000000041000b3032486561645f626961730000000100"
          + "0000000000000300000003cdcccc3d000000000000008000046164616d00000001000b3032486561"
          + "645f626961730000001100000002000000010000000000000003000000036f12833a6f12033b0100"
          + "000000000001000000000000000300000003000080400000a0400000c04000f9a6c8940adcefd21e"
          + "2dd5830ab6e649007538b7cf196000e4de3d2717468df5";

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
  void writesTheSameBytesAsBefore() {
    assertEquals(VERSION_2_SAMPLE, HexFormat.of().formatHex(CheckpointCodec.encode(sample())));
  }

  @Test
  void readsStoredBytes() {
    Checkpoint c = CheckpointCodec.decode(HexFormat.of().parseHex(VERSION_2_SAMPLE));
    assertEquals("cnn", c.architecture());
    assertEquals(SampleShape.image(1, 28, 28), c.shape());
    assertEquals(4, c.epoch());
    assertEquals(new Checkpoint.RngInfo(42, -7, 99, 1000, 16), c.rng());
    assertEquals(17, c.optimizerState().slots().get("02Head_bias").steps());
    assertTrue(
        sample()
            .parameters()
            .get("01Backbone_conv_weight")
            .sameAs(c.parameters().get("01Backbone_conv_weight")));
  }

  @Test
  void namesTheFaultOfBadBytes() {
    byte[] good = HexFormat.of().parseHex(VERSION_2_SAMPLE);
    byte[] foreign = good.clone();
    foreign[0] = 'X';
    assertTrue(
        assertThrows(CorruptCheckpointException.class, () -> CheckpointCodec.decode(foreign))
            .getMessage()
            .startsWith("not a tunelab checkpoint"));
    byte[] flipped = good.clone();
    flipped[40] ^= 1;
    assertTrue(
        assertThrows(CorruptCheckpointException.class, () -> CheckpointCodec.decode(flipped))
            .getMessage()
            .startsWith("checkpoint checksum mismatch"));
    assertTrue(
        assertThrows(
                CorruptCheckpointException.class,
                () -> CheckpointCodec.decode(java.util.Arrays.copyOf(good, good.length - 1)))
            .getMessage()
            .startsWith("checkpoint truncated"));
    assertArrayEquals(good, CheckpointCodec.encode(CheckpointCodec.decode(good)));
  }
}
