package io.tunelab.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class EmbeddedObjectStoreTest {
  private static final S3Credentials KEYS = CredentialStore.generate();

  @TempDir Path temp;

  @Test
  void keepsObjectsAcrossRestartsOnTheSamePort() throws Exception {
    Path data = temp.resolve("home/objects");
    byte[] body = {1, 2, 3, 4, 5};
    int port;
    try (EmbeddedObjectStore store = EmbeddedObjectStore.start(data, 0, KEYS, "ckpt")) {
      port = store.port();
      assertEquals("http://127.0.0.1:" + port, store.endpoint());
      try (MinioClient client = client(store.endpoint())) {
        client.putObject(
            PutObjectArgs.builder().bucket("ckpt").object("a/b").stream(
                    new ByteArrayInputStream(body), body.length, -1)
                .build());
      }
    }
    assertTrue(Files.isRegularFile(data.resolve("ckpt/a/b")), "objects are plain files");
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(data)),
        "a created data directory is owner-only");
    try (EmbeddedObjectStore store = EmbeddedObjectStore.start(data, port, KEYS, "ckpt");
        MinioClient client = client(store.endpoint());
        GetObjectResponse in =
            client.getObject(GetObjectArgs.builder().bucket("ckpt").object("a/b").build())) {
      assertEquals(port, store.port());
      assertArrayEquals(body, in.readAllBytes());
    }
  }

  @Test
  void refusesAPortInUseNamingIt() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, Network.LOOPBACK)) {
      int port = busy.getLocalPort();
      EmbeddedStartException e =
          assertThrows(
              EmbeddedStartException.class,
              () -> EmbeddedObjectStore.start(temp.resolve("objects"), port, KEYS, "ckpt"));
      assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }
  }

  @Test
  void refusesAnUnusableDirectoryNamingIt() throws Exception {
    Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
    Path data = file.resolve("objects");
    EmbeddedStartException e =
        assertThrows(
            EmbeddedStartException.class, () -> EmbeddedObjectStore.start(data, 0, KEYS, "ckpt"));
    assertTrue(e.getMessage().contains(data.toString()), e.getMessage());

    EmbeddedStartException onFile =
        assertThrows(
            EmbeddedStartException.class, () -> EmbeddedObjectStore.start(file, 0, KEYS, "ckpt"));
    assertTrue(onFile.getMessage().contains(file.toString()), onFile.getMessage());
  }

  @Test
  void refusesAnInvalidBucketNameAndStopsAgain() {
    EmbeddedStartException e =
        assertThrows(
            EmbeddedStartException.class,
            () -> EmbeddedObjectStore.start(temp.resolve("objects"), 0, KEYS, "ab"));
    assertTrue(e.getMessage().contains("'ab'"), e.getMessage());
    assertFalse(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.isAlive() && t.getName().startsWith("S3Proxy-Jetty")),
        "no S3Proxy threads are left running");
  }

  private static MinioClient client(String endpoint) {
    return MinioClient.builder()
        .endpoint(endpoint)
        .region(EmbeddedObjectStore.REGION)
        .credentials(KEYS.accessKey(), KEYS.secretKey())
        .build();
  }
}
