package io.tunelab.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.StatObjectArgs;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.FreePorts;
import io.tunelab.infra.S3Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The S3 object store against the embedded S3 endpoint, over HTTP: its transports and failures. */
@Tag("integration")
class ObjectStoreTest {
  @TempDir static Path home;
  static EmbeddedObjectStore s3;
  static S3Credentials creds;
  static S3ObjectStore store;

  @BeforeAll
  static void start() {
    creds = CredentialStore.resolve(home, null, null);
    s3 = EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab");
    store =
        new S3ObjectStore(
            new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
  }

  static S3ObjectStore storeAt(String endpoint, BodyCheck check, boolean okHttp) {
    return new S3ObjectStore(
        new StoreConfig(endpoint, creds.accessKey(), creds.secretKey(), "tunelab"), check, okHttp);
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void largeObjectsComeBackWhole() {
    byte[] big = random(12 * 1024 * 1024 + 17, 1);
    store.put("big/checkpoint.bin", big);
    assertArrayEquals(big, store.get("big/checkpoint.bin"));
  }

  @ParameterizedTest(name = "okHttp={0}")
  @ValueSource(booleans = {false, true})
  void aPutOfMoreThan20MbRoundTripsByteIdenticallyWithAndWithoutContentMd5(boolean okHttp)
      throws Exception {
    S3ObjectStore plain = storeAt(s3.endpoint(), BodyCheck.AUTO, okHttp);
    assertFalse(plain.sendsContentMd5(), "loopback: the transport protects the body");
    S3ObjectStore md5 = storeAt(s3.endpoint(), BodyCheck.ALWAYS_MD5, okHttp);
    assertTrue(md5.sendsContentMd5());
    String dir = "big-" + okHttp + "/";
    byte[] big = random(24 * 1024 * 1024 + 5, 2);
    plain.put(dir + "a.bin", big);
    md5.put(dir + "b.bin", big, "application/x-tunelab");
    assertArrayEquals(big, store.get(dir + "a.bin"));
    assertArrayEquals(big, store.get(dir + "b.bin"));
    assertEquals(big.length, store.listSizes(dir).get(dir + "a.bin"));
    assertEquals(
        "application/x-tunelab",
        store
            .client()
            .statObject(StatObjectArgs.builder().bucket("tunelab").object(dir + "b.bin").build())
            .contentType());
    byte[] small = "{\"epoch\":1}".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) { // reuses the kept-alive connection
      plain.put(dir + "latest.json", small, "application/json");
    }
    assertArrayEquals(small, store.get(dir + "latest.json"));
    plain.put(dir + "empty", new byte[0]);
    assertArrayEquals(new byte[0], store.get(dir + "empty"));
  }

  @ParameterizedTest(name = "okHttp={0}")
  @ValueSource(booleans = {false, true})
  void keysWithOddCharactersAreSignedAndStoredAsGiven(boolean okHttp) {
    String key = "data-" + okHttp + "/odd name+(1)/é=ü&x;y,z'*!%.png";
    storeAt(s3.endpoint(), BodyCheck.ALWAYS_MD5, okHttp).put(key, new byte[] {7});
    assertArrayEquals(new byte[] {7}, store.get(key));
    assertEquals(List.of(key), store.list("data-" + okHttp + "/odd name+(1)/"));
  }

  @ParameterizedTest(name = "okHttp={0}")
  @ValueSource(booleans = {false, true})
  void aConnectionLostMidwayFailsThePutAndLeavesNoObject(boolean okHttp) throws Exception {
    try (FaultyProxy proxy = new FaultyProxy(s3.port(), FaultyProxy.Fault.CUT, 3_000_000)) {
      ObjectStore cut = storeAt(proxy.endpoint(), BodyCheck.AUTO, okHttp);
      byte[] big = random(21 * 1024 * 1024, 3);
      StoreException e =
          assertThrows(StoreException.class, () -> cut.put("cut/checkpoint.bin", big));
      assertTrue(e.getMessage().startsWith("put cut/checkpoint.bin failed"), e.getMessage());
      assertEquals(2, proxy.faults.get(), "tried once more on a new connection, which broke too");
    }
    assertFalse(store.exists("cut/checkpoint.bin"));
    // S3Proxy's filesystem backend writes into KEY-<uuid> and renames; it lists that temporary
    // file until its request thread has seen the broken connection and deleted it.
    List<String> left = store.list("cut/");
    for (int i = 0; i < 100 && !left.isEmpty(); i++) {
      Thread.sleep(100);
      left = store.list("cut/");
    }
    assertEquals(List.of(), left);
  }

  @ParameterizedTest(name = "okHttp={0}")
  @ValueSource(booleans = {false, true})
  void aBodyCorruptedOnTheWayIsRefusedWithContentMd5(boolean okHttp) throws Exception {
    try (FaultyProxy proxy = new FaultyProxy(s3.port(), FaultyProxy.Fault.FLIP, 2_000_000)) {
      ObjectStore flipped = storeAt(proxy.endpoint(), BodyCheck.ALWAYS_MD5, okHttp);
      byte[] big = random(6 * 1024 * 1024, 4);
      StoreException e =
          assertThrows(StoreException.class, () -> flipped.put("flip/checkpoint.bin", big));
      assertTrue(e.getMessage().startsWith("put flip/checkpoint.bin failed"), e.getMessage());
      assertEquals(1, proxy.faults.get());
    }
    assertFalse(store.exists("flip/checkpoint.bin"));
  }

  @Test
  void aPutToAMissingBucketNamesTheS3Error() {
    ObjectStore other =
        new S3ObjectStore(
            new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "no-such-bucket"));
    StoreException e = assertThrows(StoreException.class, () -> other.put("x", new byte[] {1}));
    assertTrue(e.getMessage().contains("NoSuchBucket"), e.getMessage());
  }

  @Test
  void onlyHttpsAndLoopbackCountAsProtectedTransports() {
    assertTrue(BodyCheck.transportProtects("http://127.0.0.1:9000"));
    assertTrue(BodyCheck.transportProtects("http://localhost:9000"));
    assertTrue(BodyCheck.transportProtects("http://[::1]:9000"));
    assertTrue(BodyCheck.transportProtects("https://minio.example.org"));
    assertFalse(BodyCheck.transportProtects("http://minio:9000"));
    assertFalse(BodyCheck.transportProtects("http://10.0.0.5:9000"));
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
    ObjectStore dead =
        new S3ObjectStore(
            new StoreConfig("http://127.0.0.1:" + FreePorts.pick(), "a", "b", "tunelab"));
    StoreException e = assertThrows(StoreException.class, dead::check);
    assertTrue(e.unreachable(), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
  }
}
