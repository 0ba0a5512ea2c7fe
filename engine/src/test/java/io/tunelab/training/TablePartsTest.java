package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tunelab.dataset.DataKind;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.table.FeatureScaler;
import io.tunelab.table.TableRows;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of training on tables that need no libtorch. */
class TablePartsTest {
  private static final SampleShape TWO = SampleShape.table(2);

  @Test
  void tablesAreBatchedByTheTableBatcherAndTrainTheMlpOnly() {
    assertSame(TableBatcher.INSTANCE, SampleBatcher.of(SampleKind.TABLE));
    assertEquals(List.of(Network.MLP), DataKind.of(TWO).architectures());
  }

  @Test
  void aTablesRowsAreStandardisedWithTheTrainingSplitsScaler() {
    TableRows train =
        new TableRows(
            List.of("a", "b"), new float[] {1, 10, 3, 30}, new int[] {0, 1}, List.of("t:2", "t:3"));
    TableRows val =
        new TableRows(List.of("a", "b"), new float[] {2, 50}, new int[] {1}, List.of("v:2"));
    FeatureScaler scaler = FeatureScaler.fit(train);
    LabeledImages rows = TrainingSplits.rows(TWO, val, scaler);
    assertArrayEquals(new float[] {0, 3}, rows.values());
    assertArrayEquals(new int[] {1}, rows.labels());
    assertThrows(IllegalStateException.class, rows::pixels);
    assertThrows(
        IllegalArgumentException.class,
        () -> TrainingSplits.rows(SampleShape.table(3), val, scaler),
        "the dataset's shape names the features");
  }

  @Test
  void rowsNeedATableShapeAndOneRowOfValuesPerLabel() {
    assertThrows(
        IllegalArgumentException.class,
        () -> LabeledImages.rows(TWO, new float[3], new int[] {0, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> LabeledImages.rows(SampleShape.image(1, 8, 8), new float[64], new int[] {0}));
    assertThrows(
        IllegalArgumentException.class, () -> new LabeledImages(TWO, new byte[2], new int[] {0}));
    assertThrows(
        IllegalStateException.class,
        () -> new LabeledImages(SampleShape.image(1, 8, 8), new byte[64], new int[] {0}).values());
  }

  @Test
  void theHiddenWidthsAreReadFromAnMlpsWeights() {
    Map<String, Checkpoint.Tensor> params = new LinkedHashMap<>();
    params.put("01Backbone_01SequentialBlock_01Linear_weight", tensor(64, 10));
    params.put("01Backbone_01SequentialBlock_01Linear_bias", tensor(64));
    params.put("01Backbone_02SequentialBlock_01Linear_weight", tensor(32, 64));
    params.put("01Backbone_02SequentialBlock_01Linear_bias", tensor(32));
    params.put("02SequentialBlock_01Linear_weight", tensor(3, 32));
    assertEquals(List.of(64, 32), Mlp.hidden(params));
  }

  @Test
  void aTableCheckpointKeepsItsShape() {
    Checkpoint c =
        new Checkpoint(
            "mlp",
            SampleShape.table(7),
            2,
            1,
            new Checkpoint.RngInfo(1, 2, 3, 4, 5),
            null,
            Map.of("02SequentialBlock_01Linear_bias", tensor(2)),
            null,
            null);
    assertEquals(SampleShape.table(7), CheckpointCodec.decode(CheckpointCodec.encode(c)).shape());
  }

  @Test
  void theDenseSettingsDefaultToOneHiddenLayerWithoutRegularisation() {
    TrainingParams p = TrainingParams.builder().epochs(1).batchSize(1).learningRate(1).build();
    assertEquals(TrainingParams.DEFAULT_HIDDEN, p.hidden());
  }

  private static Checkpoint.Tensor tensor(long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return new Checkpoint.Tensor(shape, new float[(int) n]);
  }
}
