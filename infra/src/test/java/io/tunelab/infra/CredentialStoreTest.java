package io.tunelab.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  @TempDir Path temp;

  @Test
  void generatesOnceWithOwnerOnlyPermissions() throws IOException {
    Path home = temp.resolve("new/home");
    S3Credentials first = CredentialStore.resolve(home, null, " ");
    Path file = home.resolve(CredentialStore.FILE_NAME);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
    assertEquals(20, first.accessKey().length());
    assertEquals(40, first.secretKey().length());
    assertTrue(first.accessKey().matches("[A-Za-z0-9]{20}"));
    assertTrue(first.secretKey().matches("[A-Za-z0-9]{40}"));

    assertEquals(first, CredentialStore.loadOrCreate(home));
    assertEquals(first, CredentialStore.resolve(home, "", null));
    try (Stream<Path> files = Files.list(home)) {
      assertEquals(
          List.of(CredentialStore.FILE_NAME),
          files.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
          "no temporary file is left behind");
    }
  }

  @Test
  void environmentKeysWinAndAreNotStored() {
    S3Credentials stored = CredentialStore.loadOrCreate(temp);
    S3Credentials fromEnv = CredentialStore.resolve(temp, "ENVACCESS", "envsecret");
    assertEquals(new S3Credentials("ENVACCESS", "envsecret"), fromEnv);
    assertEquals(
        fromEnv,
        CredentialStore.resolve(
            temp,
            Map.of(
                CredentialStore.ENV_ACCESS_KEY, "ENVACCESS",
                CredentialStore.ENV_SECRET_KEY, "envsecret")));
    assertEquals(stored, CredentialStore.loadOrCreate(temp));
  }

  @Test
  void environmentKeysNeedNoHomeDirectory() {
    Path home = temp.resolve("absent");
    CredentialStore.resolve(home, "A", "B");
    assertFalse(Files.exists(home));
  }

  @Test
  void halfAnEnvironmentPairIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CredentialStore.resolve(temp, "ACCESS", null));
    assertTrue(e.getMessage().contains(CredentialStore.ENV_SECRET_KEY), e.getMessage());
  }

  @Test
  void readsAFileWrittenByHand() throws IOException {
    Files.writeString(
        temp.resolve(CredentialStore.FILE_NAME),
        "# mine\ns3.accessKey=handAccess\ns3.secretKey=handSecret\n");
    assertEquals(new S3Credentials("handAccess", "handSecret"), CredentialStore.loadOrCreate(temp));
  }

  @Test
  void aFileWithoutKeysIsAClearErrorAndIsLeftAlone() throws IOException {
    Path file = Files.writeString(temp.resolve(CredentialStore.FILE_NAME), "s3.accessKey=only\n");
    EmbeddedStartException e =
        assertThrows(EmbeddedStartException.class, () -> CredentialStore.loadOrCreate(temp));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(CredentialStore.SECRET_KEY_PROPERTY), e.getMessage());
    assertEquals("s3.accessKey=only\n", Files.readString(file));
  }

  @Test
  void concurrentFirstUsesAgreeOnOneKeyPair() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        Path home = temp.resolve("race-" + round);
        List<Callable<S3Credentials>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          calls.add(() -> CredentialStore.loadOrCreate(home));
        }
        Set<S3Credentials> seen = new java.util.HashSet<>();
        for (Future<S3Credentials> f : pool.invokeAll(calls)) {
          seen.add(f.get());
        }
        assertEquals(1, seen.size(), "round " + round);
        assertEquals(seen.iterator().next(), CredentialStore.loadOrCreate(home));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void generatedKeysDiffer() {
    assertNotEquals(CredentialStore.generate(), CredentialStore.generate());
  }

  @Test
  void toStringHidesTheSecret() {
    S3Credentials credentials = new S3Credentials("visibleAccess", "verySecretValue");
    assertTrue(credentials.toString().contains("visibleAccess"));
    assertFalse(credentials.toString().contains("verySecretValue"));
  }

  @Test
  void blankKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new S3Credentials("", "secret"));
    assertThrows(IllegalArgumentException.class, () -> new S3Credentials("access", null));
    assertThrows(IllegalArgumentException.class, () -> new S3Credentials(" access", "secret"));
  }
}
