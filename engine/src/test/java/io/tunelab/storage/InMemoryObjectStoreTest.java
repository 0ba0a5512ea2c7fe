package io.tunelab.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The object-store contract for the in-memory store, and what only it offers. */
class InMemoryObjectStoreTest extends ObjectStoreContract {
  private final InMemoryObjectStore store = new InMemoryObjectStore();

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Test
  void objectsAreStampedWithTheClockInWholeSeconds() {
    Instant now = Instant.parse("2026-01-02T03:04:05.678Z");
    InMemoryObjectStore fixed = new InMemoryObjectStore("b", Clock.fixed(now, ZoneOffset.UTC));
    fixed.put("k", new byte[] {1}, "application/json");
    assertEquals(Instant.parse("2026-01-02T03:04:05Z"), fixed.lastModified("k").orElseThrow());
    assertEquals("application/json", fixed.contentType("k"));
    assertEquals("b", fixed.bucket());
    assertThrows(ObjectNotFoundException.class, () -> fixed.contentType("nope"));
  }

  @Test
  void concurrentPutsAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 200; i++) {
      int n = i;
      pool.execute(() -> store.put(String.format("c/%03d", n), new byte[] {(byte) n}));
    }
    pool.shutdown();
    assertEquals(true, pool.awaitTermination(10, TimeUnit.SECONDS));
    List<String> keys = store.list("c/");
    assertEquals(200, keys.size());
    assertEquals("c/000", keys.get(0));
    assertEquals("c/199", keys.get(199));
  }
}
