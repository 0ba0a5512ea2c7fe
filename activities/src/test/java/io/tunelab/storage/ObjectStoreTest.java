package io.tunelab.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.FreePorts;
import io.tunelab.infra.S3Credentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object store client against the embedded S3 endpoint, over HTTP. */
class ObjectStoreTest {
  @TempDir static Path home;
  static EmbeddedObjectStore s3;
  static ObjectStore store;

  @BeforeAll
  static void start() {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    s3 = EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab");
    store = new ObjectStore(new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void largeObjectsGoUpInPartsAndComeBackWhole() {
    byte[] big = new byte[12 * 1024 * 1024 + 17];
    new Random(1).nextBytes(big);
    store.put("big/checkpoint.bin", big);
    assertArrayEquals(big, store.get("big/checkpoint.bin"));
  }

  @Test
  void missingKeysListsAndDeletes() {
    assertThrows(ObjectNotFoundException.class, () -> store.get("nope/x"));
    assertFalse(store.exists("nope/x"));
    store.put("a/2", new byte[] {2});
    store.put("a/1", new byte[] {1});
    assertEquals(List.of("a/1", "a/2"), store.list("a/"));
    store.delete("a/1");
    store.delete("a/never-there");
    assertEquals(List.of("a/2"), store.list("a/"));
    assertTrue(store.exists("a/2"));
  }

  @Test
  void aDeadEndpointIsReportedUnreachable() {
    ObjectStore dead = new ObjectStore(new StoreConfig("http://127.0.0.1:" + FreePorts.pick(), "a", "b", "tunelab"));
    StoreException e = assertThrows(StoreException.class, dead::check);
    assertTrue(e.unreachable(), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
  }
}
