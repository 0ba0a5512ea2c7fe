package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.registry.ModelRegistry;
import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.table.FeatureScaler;
import io.tunelab.table.TableRows;
import io.tunelab.table.TableRowsCodec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.RegisterRequest;
import io.tunelab.workflows.model.SampleShape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A registered table model keeps the scaler it learned with, and a split read with it is
 * standardised as the model's training rows were, not with the new data's own statistics; its
 * feature columns are recorded with it.
 */
class ModelScalerTest {
  @Test
  void aRegisteredTableModelKeepsItsScalerForWhatItIsEvaluatedOn() {
    InMemoryObjectStore store = new InMemoryObjectStore();
    TableRows old = GeneratedTable.rows(200, 4, 2, 1);
    FeatureScaler learned = FeatureScaler.fit(old);
    store.put(Keys.scaler("old"), Json.bytes(learned), "application/json");
    store.put("runs/r/finetune/epoch-0001/checkpoint.bin", new byte[] {1, 2, 3});
    ModelInfo model =
        new ModelRegistry(store)
            .register(
                new RegisterRequest(
                    "tab",
                    "mlp",
                    SampleShape.table(4),
                    List.of("a", "b"),
                    "runs/r/finetune/epoch-0001/checkpoint.bin",
                    "old",
                    0.9,
                    "r"));
    String key = Keys.modelScaler("tab", model.version());
    assertEquals(learned, Json.read(store.get(key), FeatureScaler.class));
    // Its feature columns are recorded, for a fine-tune's table to be checked against.
    assertEquals(List.of("f0", "f1", "f2", "f3"), model.features());
    assertEquals(model, new ModelRegistry(store).latest("tab").orElseThrow());
    // A record written before the names were kept gets them from the registered scaler.
    ModelInfo older =
        new ModelInfo(
            "tab",
            1,
            "mlp",
            SampleShape.table(4),
            List.of("a", "b"),
            "k",
            "old",
            0.9,
            "r",
            List.of());
    store.put(Keys.modelLatest("tab"), Json.bytes(older), "application/json");
    assertFalse(new String(store.get(Keys.modelLatest("tab"))).contains("features"));
    assertEquals(
        List.of("f0", "f1", "f2", "f3"),
        new ModelRegistry(store).latest("tab").orElseThrow().features());

    // New data on another scale: its own scaler differs from the model's.
    TableRows fresh = GeneratedTable.rows(100, 4, 2, 2);
    float[] shifted = fresh.values().clone();
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] = shifted[i] * 3 + 10;
    }
    TableRows moved = new TableRows(fresh.featureNames(), shifted, fresh.labels(), fresh.origins());
    store.put(Keys.scaler("new"), Json.bytes(FeatureScaler.fit(moved)), "application/json");
    store.put(Keys.shard("new", "test"), TableRowsCodec.encode(moved));
    DatasetRef data =
        new DatasetRef(
            "new",
            "m",
            "p",
            Map.of(
                "train", Keys.shard("new", "train"),
                "val", Keys.shard("new", "val"),
                "test", Keys.shard("new", "test")),
            List.of("a", "b"),
            SampleShape.table(4),
            Map.of(),
            0,
            0,
            null);
    ShardCache shards = new ShardCache(store, 4);
    LabeledImages own = TrainingSplits.read(store, shards, data, "test");
    LabeledImages asTheModelLearned = TrainingSplits.read(store, shards, data, "test", key);
    float[] expected = learned.apply(moved);
    assertEquals(expected[0], asTheModelLearned.values()[0], 1e-6f);
    assertNotEquals(own.values()[0], asTheModelLearned.values()[0]);
    assertFalse(store.exists(Keys.modelScaler("img", 1)), "images have none");
  }
}
