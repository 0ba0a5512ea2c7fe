package io.tunelab.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.PutObjectArgs;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.tunelab.dataset.DatasetIngest;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.Ingestor;
import io.tunelab.dataset.S3PrefixSource;
import io.tunelab.dataset.ShardCache;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.S3ObjectStore;
import io.tunelab.storage.StoreConfig;
import io.tunelab.training.AugmentationPreview;
import io.tunelab.training.FashionMnist;
import io.tunelab.workflows.activities.DatasetActivities;
import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.SampleShape;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest activity reuses a stored ingest when the source's files and the options are the ones
 * it ingested before, found by their fingerprint without decoding anything, for a folder and for an
 * {@code s3://} prefix; a changed file is ingested again. A worker's activity that decodes leaves
 * the splits in its shard cache; one that reused the stored ingest has none there (the next epoch
 * reads them from the bucket). A stored ingest missing one of its objects is ingested again, not
 * reused.
 */
@Tag("integration")
class IngestReuseTest {
  @TempDir Path home;

  @Test
  void unchangedSourcesAreReusedWithoutDecodingAndChangedOnesIngestedAgain() throws Exception {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    Path data = home.resolve("data");
    FashionMnistFolders.export(FashionMnist.train(), new int[] {0, 1, 7}, 40, 3, data);
    try (EmbeddedObjectStore s3 =
        EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab")) {
      S3ObjectStore store =
          new S3ObjectStore(
              new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
      IngestRequest folder =
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
              List.of());

      Ingest first = ingest(store, folder);
      assertTrue(first.decoded(), "a first ingest decodes");
      assertEquals(1, store.list("ingest-sources/").size());

      Ingest again = ingest(store, folder);
      assertFalse(again.decoded(), "reused without decoding");
      assertEquals(first.ref(), again.ref());

      // Another augmentation policy reuses the ingest and stores that policy's preview.
      Ingest light =
          ingest(
              store,
              new IngestRequest(
                  data.toString(),
                  List.of(),
                  0,
                  7,
                  SampleShape.image(1, 28, 28),
                  false,
                  Augment.LIGHT,
                  null,
                  null,
                  null,
                  List.of()));
      assertEquals(first.ref().ingestId(), light.ref().ingestId());
      assertTrue(
          store.exists(light.ref().augmentedSamplesKey()), light.ref().augmentedSamplesKey());
      assertNotEquals(first.ref().augmentedSamplesKey(), light.ref().augmentedSamplesKey());

      // Part of the stored ingest deleted from the bucket: neither the fingerprint nor the
      // content id reuses it; it is decoded and written again, whole.
      String valShard = first.ref().shardKeys().get("val");
      store.delete(valShard);
      Ingest repaired = ingest(store, folder);
      assertTrue(repaired.decoded(), "an incomplete stored ingest is not reused");
      assertEquals(first.ref().ingestId(), repaired.ref().ingestId());
      assertTrue(store.exists(valShard), "the deleted shard is written again");
      assertFalse(ingest(store, folder).decoded(), "complete again, so reused");

      Path file;
      Path other;
      try (Stream<Path> files = Files.list(data.resolve("Sneaker"))) {
        List<Path> sorted = files.sorted().toList();
        file = sorted.get(0);
        other = sorted.get(1);
      }
      Files.copy(other, file, StandardCopyOption.REPLACE_EXISTING);
      Ingest changed = ingest(store, folder);
      assertTrue(changed.decoded(), "a changed file is ingested again");
      assertNotEquals(first.ref().ingestId(), changed.ref().ingestId());
      assertEquals(2, store.list("ingest-sources/").size());

      // An s3:// prefix: the objects' ETags stand for their bytes.
      try (Stream<Path> files = Files.walk(data)) {
        for (Path png : files.filter(Files::isRegularFile).toList()) {
          byte[] content = Files.readAllBytes(png);
          store
              .client()
              .putObject(
                  PutObjectArgs.builder()
                      .bucket("tunelab")
                      .object("incoming/" + data.relativize(png).toString().replace('\\', '/'))
                      .stream(new ByteArrayInputStream(content), content.length, -1)
                      .build());
        }
      }
      IngestRequest prefix =
          new IngestRequest(
              "s3://tunelab/incoming/",
              List.of(),
              0,
              7,
              SampleShape.image(1, 28, 28),
              false,
              Augment.NONE,
              null,
              null,
              null,
              List.of());
      Ingest fromS3 = ingest(store, prefix);
      assertTrue(fromS3.decoded(), "a source never seen is decoded");
      assertEquals(
          changed.ref().ingestId(), fromS3.ref().ingestId(), "the same files, the same content id");
      Ingest s3Again = ingest(store, prefix);
      assertFalse(s3Again.decoded(), "reused without decoding");
      assertEquals(fromS3.ref().ingestId(), s3Again.ref().ingestId());
      assertTrue(
          S3PrefixSource.parse(store.client(), "s3://tunelab/incoming/").files().stream()
              .filter(f -> !f.isFolder())
              .allMatch(f -> f.version() != null && f.version().startsWith("etag:")));
    }
  }

  /** What one ingest activity on a fresh worker returned, and whether it decoded the images. */
  private record Ingest(DatasetRef ref, boolean decoded) {}

  private static Ingest ingest(ObjectStore store, IngestRequest request) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      ShardCache cache = new ShardCache(store, 8);
      env.registerActivitiesImplementations(
          new DatasetActivitiesImpl(
              new DatasetIngest(store, new Ingestor(), cache, AugmentationPreview::png)));
      DatasetActivities activities =
          env.newActivityStub(
              DatasetActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build());
      DatasetRef ref = activities.ingest(request);
      return new Ingest(ref, cache.holds(ref.shardKeys().get("val")));
    } finally {
      env.close();
    }
  }
}
