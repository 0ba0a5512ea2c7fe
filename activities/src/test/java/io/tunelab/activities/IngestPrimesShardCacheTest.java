package io.tunelab.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.tunelab.dataset.DatasetIngest;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.Ingestor;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.dataset.ShardCodec;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import io.tunelab.training.AugmentationPreview;
import io.tunelab.training.FashionMnist;
import io.tunelab.workflows.activities.DatasetActivities;
import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.SampleShape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest activity leaves the splits it stored in the worker's shard cache, exactly as they read
 * back from the bucket, so the first epoch on that worker does not download them again.
 */
@Tag("integration")
class IngestPrimesShardCacheTest {
  @TempDir Path home;

  @Test
  void theStoredSplitsAreInTheCacheAsTheyReadBack() throws Exception {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    Path data = home.resolve("data");
    FashionMnistFolders.export(FashionMnist.train(), new int[] {0, 1, 7}, 40, 3, data);
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try (EmbeddedObjectStore s3 =
        EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab")) {
      ObjectStore store =
          ObjectStore.connect(
              new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
      ShardCache cache = new ShardCache(store, 8);
      env.registerActivitiesImplementations(
          new DatasetActivitiesImpl(
              new DatasetIngest(store, new Ingestor(), cache, AugmentationPreview::png)));
      DatasetActivities activities =
          env.newActivityStub(
              DatasetActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build());

      DatasetRef ref =
          activities.ingest(
              new IngestRequest(
                  data.toString(),
                  List.of(),
                  0,
                  7,
                  SampleShape.image(1, 28, 28),
                  false,
                  Augment.NONE,
                  null,
                  null,
                  null,
                  List.of()));

      assertEquals(3, ref.shardKeys().size());
      for (Map.Entry<String, String> shard : ref.shardKeys().entrySet()) {
        LabeledImages stored = ShardCodec.decode(store.get(shard.getValue()));
        store.delete(shard.getValue());
        assertFalse(store.exists(shard.getValue()));
        LabeledImages cached = cache.get(shard.getValue());
        assertEquals(stored.shape(), cached.shape(), shard.getKey());
        assertArrayEquals(stored.pixels(), cached.pixels(), shard.getKey());
        assertArrayEquals(stored.labels(), cached.labels(), shard.getKey());
      }
    } finally {
      env.close();
    }
  }
}
