package io.tunelab.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStore} does, asserted the same way for each implementation: a subclass
 * says which store. Each test works under a prefix of its own, so a store may be shared.
 */
abstract class ObjectStoreContract {
  private String root;

  /** The store under test, with its bucket in place. */
  protected abstract ObjectStore store();

  @BeforeEach
  void newRoot() {
    root = "contract-" + UUID.randomUUID() + "/";
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void bytesComeBackAsWrittenAndAreNotShared() {
    byte[] bytes = {0, 1, -1, 127, -128};
    store().put(root + "blob", bytes);
    bytes[0] = 42;
    byte[] read = store().get(root + "blob");
    assertArrayEquals(new byte[] {0, 1, -1, 127, -128}, read);
    read[1] = 42;
    assertArrayEquals(new byte[] {0, 1, -1, 127, -128}, store().get(root + "blob"));
    store().put(root + "empty", new byte[0], "application/json");
    assertArrayEquals(new byte[0], store().get(root + "empty"));
    assertTrue(store().exists(root + "empty"));
  }

  @Test
  void aPutReplacesTheObject() {
    store().put(root + "latest.json", text("{\"epoch\":1}"), "application/json");
    store().put(root + "latest.json", text("{\"epoch\":2}"), "application/json");
    assertArrayEquals(text("{\"epoch\":2}"), store().get(root + "latest.json"));
    assertEquals(List.of(root + "latest.json"), store().list(root));
  }

  @Test
  void aMissingKeyIsNotFoundEverywhere() {
    String key = root + "nope/x";
    ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> store().get(key));
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains(store().bucket()), e.getMessage());
    assertFalse(e.unreachable());
    assertFalse(store().exists(key));
    assertNull(store().etag(key));
    assertEquals(Optional.empty(), store().lastModified(key));
    assertEquals(List.of(), store().list(root));
    assertEquals(List.of(), store().listFolders(root));
    assertEquals(Map.of(), store().listSizes(root));
  }

  @Test
  void listingIsByPrefixRecursiveAndInLexicalOrder() {
    for (String key : List.of("b/2", "a/1", "a/sub/3", "ab", "a/0")) {
      store().put(root + key, text(key));
    }
    store().put("elsewhere-" + root + "a/1", text("x"));
    assertEquals(
        List.of(root + "a/0", root + "a/1", root + "a/sub/3", root + "ab", root + "b/2"),
        store().list(root));
    assertEquals(List.of(root + "a/0", root + "a/1", root + "a/sub/3"), store().list(root + "a/"));
    assertEquals(
        List.of(root + "a/0", root + "a/1", root + "a/sub/3", root + "ab"),
        store().list(root + "a"));
    assertEquals(List.of(), store().list(root + "c/"));
    store().delete("elsewhere-" + root + "a/1");
  }

  @Test
  void foldersAreTheNamesBeforeTheNextSlash() {
    for (String key : List.of("runs/r2/run.json", "runs/r1/a/b/c", "runs/r1/run.json", "runs/x")) {
      store().put(root + key, text(key));
    }
    assertEquals(List.of("runs"), store().listFolders(root));
    assertEquals(List.of("r1", "r2"), store().listFolders(root + "runs/"));
    assertEquals(List.of("a"), store().listFolders(root + "runs/r1/"));
    assertEquals(List.of(), store().listFolders(root + "runs/r2/"));
  }

  @Test
  void sizesAreListedByKey() {
    store().put(root + "b", new byte[3]);
    store().put(root + "a/x", new byte[0]);
    store().put(root + "a/y", new byte[70_000]);
    assertEquals(
        new TreeMap<>(Map.of(root + "a/x", 0L, root + "a/y", 70_000L, root + "b", 3L)),
        store().listSizes(root));
    assertEquals(List.copyOf(store().listSizes(root).keySet()), store().list(root));
  }

  @Test
  void theEtagIsTheMd5OfTheBytes() throws Exception {
    byte[] bytes = text("the same bytes");
    store().put(root + "one", bytes);
    store().put(root + "two", bytes);
    String etag = store().etag(root + "one");
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)),
        etag.replace("\"", ""));
    assertEquals(etag, store().etag(root + "two"));
    store().put(root + "two", text("other bytes"));
    assertNotEquals(etag, store().etag(root + "two"));
  }

  @Test
  void lastModifiedIsWhenTheObjectWasWritten() {
    Instant before = Instant.now().minusSeconds(2);
    store().put(root + "x", new byte[] {1});
    Instant after = Instant.now().plusSeconds(2);
    Instant at = store().lastModified(root + "x").orElseThrow();
    assertTrue(
        at.isAfter(before) && at.isBefore(after), at + " not within " + before + ".." + after);
    assertEquals(0, at.getNano(), "whole seconds, as S3 reports them");
    assertTrue(Duration.between(before, at).getSeconds() < 10);
  }

  @Test
  void deleteRemovesAndAMissingKeyIsNoError() {
    store().put(root + "a", new byte[] {1});
    store().delete(root + "a");
    store().delete(root + "never-there");
    assertFalse(store().exists(root + "a"));
    assertThrows(ObjectNotFoundException.class, () -> store().get(root + "a"));
  }

  @Test
  void theBucketIsThereAndEnsuringItAgainKeepsItsObjects() {
    store().put(root + "kept", new byte[] {9});
    store().check();
    store().ensureBucket();
    assertArrayEquals(new byte[] {9}, store().get(root + "kept"));
    assertNotNull(store().endpoint());
  }

  @Test
  void keysMayHoldSpacesAndNonAsciiCharacters() {
    String key = root + "odd name+(1)/é=ü&x.png";
    store().put(key, new byte[] {7});
    assertArrayEquals(new byte[] {7}, store().get(key));
    assertEquals(List.of(key), store().list(root + "odd name+(1)/"));
    assertEquals(List.of("odd name+(1)"), store().listFolders(root));
  }
}
