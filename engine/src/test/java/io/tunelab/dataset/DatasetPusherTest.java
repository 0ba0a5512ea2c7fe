package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data push} and dataset versions against the embedded S3 endpoint. */
@Tag("integration")
class DatasetPusherTest {
  @TempDir static Path home;
  static EmbeddedObjectStore s3;
  static ObjectStore store;
  static DatasetPusher pusher;
  static DatasetVersions versions;

  @BeforeAll
  static void start() {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    s3 = EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab");
    store =
        ObjectStore.connect(
            new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
    pusher = new DatasetPusher(store, new Ingestor(2));
    versions = new DatasetVersions(store);
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void contentHashIsSortedPathsAndFileHashes() {
    String a = DatasetVersions.contentHash(Map.of("b/1.png", "x", "a/1.png", "y"));
    String b = DatasetVersions.contentHash(Map.of("a/1.png", "y", "b/1.png", "x"));
    assertEquals(a, b);
    assertFalse(a.equals(DatasetVersions.contentHash(Map.of("a/1.png", "x", "b/1.png", "y"))));
    assertEquals(64, a.length());
  }

  @Test
  void pushUploadsGoodFilesReadyLastAndDeduplicates() throws Exception {
    Path src = home.resolve("src");
    TestImages.export(src, 6, 1, 0, 1);
    Files.writeString(src.resolve(FashionMnistFolders.CLASS_NAMES.get(0)).resolve("bad.png"), "no");
    DatasetPusher.Outcome first =
        pusher.push(new LocalFolderSource(src), "pets", new DatasetPusher.Listener() {});
    assertTrue(first.uploaded());
    assertTrue(
        first.version().matches("v1-" + first.contentHash().substring(0, 8)), first.version());
    assertEquals(12, first.files());
    assertEquals(1, first.rejected().size());
    assertEquals(List.of(first.version()), versions.complete("pets"));
    // the hash a watcher computes from the objects is the one data push recorded
    assertEquals(first.contentHash(), versions.computeContentHash("pets", first.version()));
    assertEquals(first.contentHash(), versions.describe("pets", first.version()).contentHash());

    DatasetPusher.Outcome again =
        pusher.push(new LocalFolderSource(src), "pets", new DatasetPusher.Listener() {});
    assertFalse(again.uploaded());
    assertEquals(first.version(), again.version());

    // the same files written by another client under another name: found by content
    store.delete(Keys.datasetReady("pets", first.version()));
    String prefix = Keys.datasetVersion("pets", first.version());
    for (String key : store.list(prefix)) {
      store.put("datasets/pets/by-hand/" + key.substring(prefix.length()), store.get(key));
    }
    store.put("datasets/pets/by-hand/_READY", new byte[0]);
    assertEquals(List.of("by-hand"), versions.complete("pets"));
    DatasetPusher.Outcome third =
        pusher.push(new LocalFolderSource(src), "pets", new DatasetPusher.Listener() {});
    assertEquals("by-hand", third.version());
    assertFalse(third.uploaded());
  }

  @Test
  void anUnfinishedPushIsFinishedByTheNextAndNewContentGetsTheNextNumber() throws Exception {
    Path src = home.resolve("src2");
    TestImages.export(src, 5, 2, 2, 3);
    DatasetPusher.Outcome first =
        pusher.push(new LocalFolderSource(src), "shoes", new DatasetPusher.Listener() {});
    store.delete(Keys.datasetReady("shoes", first.version())); // as if it died before _READY
    assertTrue(versions.complete("shoes").isEmpty());
    DatasetPusher.Outcome retry =
        pusher.push(new LocalFolderSource(src), "shoes", new DatasetPusher.Listener() {});
    assertEquals(first.version(), retry.version());
    assertTrue(retry.uploaded());

    Path other = home.resolve("src3");
    TestImages.export(other, 5, 3, 2, 3);
    DatasetPusher.Outcome next =
        pusher.push(new LocalFolderSource(other), "shoes", new DatasetPusher.Listener() {});
    assertTrue(next.version().startsWith("v2-"), next.version());
    assertEquals(List.of(first.version(), next.version()), versions.complete("shoes"));
  }

  @Test
  void oneClassIsBadInputAndNothingIsUploaded() throws Exception {
    Path src = home.resolve("one");
    TestImages.export(src, 5, 1, 4);
    assertThrows(
        BadInputException.class,
        () -> pusher.push(new LocalFolderSource(src), "one", new DatasetPusher.Listener() {}));
    assertTrue(store.list("datasets/one/").isEmpty());
  }
}
