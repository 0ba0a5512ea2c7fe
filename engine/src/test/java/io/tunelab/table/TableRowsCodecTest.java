package io.tunelab.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.storage.Json;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table shard format round-trips and refuses damaged bytes; the scaler uses train only. */
class TableRowsCodecTest {
  private static TableRows rows() {
    return new TableRows(
        List.of("x", "colour=red", "colour=blü"),
        new float[] {1.5f, 0, 1, -2, 1, 0},
        new int[] {1, 0},
        List.of("train.csv:2", "train.csv:3"));
  }

  @Test
  void roundTrip() {
    TableRows back = TableRowsCodec.decode(TableRowsCodec.encode(rows()));
    assertEquals(rows().featureNames(), back.featureNames());
    assertArrayEquals(rows().values(), back.values());
    assertArrayEquals(rows().labels(), back.labels());
    assertEquals(rows().origins(), back.origins());
    assertArrayEquals(new float[] {-2, 1, 0}, back.row(1));
    TableRows empty = TableRowsCodec.decode(TableRowsCodec.encode(TableRows.empty(List.of("a"))));
    assertEquals(0, empty.size());
    assertEquals(1, empty.features());
  }

  @Test
  void corruptOrTruncatedBytesAreRefused() {
    byte[] good = TableRowsCodec.encode(rows());
    byte[] truncated = Arrays.copyOf(good, good.length - 5);
    byte[] flipped = good.clone();
    flipped[30] ^= 1;
    byte[] foreign = "not a table shard at all".getBytes();
    for (byte[] bad : List.of(truncated, flipped, foreign, new byte[3])) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TableRowsCodec.decode(bad));
      assertTrue(e.getMessage().startsWith("table shard is corrupt"), e.getMessage());
    }
  }

  @Test
  void rowsValidateTheirSizes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TableRows(List.of("a", "b"), new float[3], new int[2], List.of("x", "y")));
    assertTrue(e.getMessage().contains("rows x features = 2 x 2"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new TableRows(List.of("a"), new float[2], new int[2], List.of("x")));
  }

  @Test
  void scalerStandardisesWithTrainStatisticsAndStoresAsJson() {
    TableRows train =
        new TableRows(
            List.of("a", "const"),
            new float[] {1, 5, 3, 5},
            new int[] {0, 1},
            List.of("t:2", "t:3"));
    FeatureScaler scaler = FeatureScaler.fit(train);
    assertArrayEquals(new double[] {2, 5}, scaler.mean());
    assertArrayEquals(new double[] {1, 1}, scaler.sd());
    TableRows val =
        new TableRows(List.of("a", "const"), new float[] {4, 7}, new int[] {0}, List.of("v:2"));
    assertArrayEquals(new float[] {2, 2}, scaler.apply(val));
    assertEquals(scaler, Json.read(Json.bytes(scaler), FeatureScaler.class));
    assertThrows(
        IllegalArgumentException.class, () -> scaler.apply(TableRows.empty(List.of("a", "other"))));
  }
}
