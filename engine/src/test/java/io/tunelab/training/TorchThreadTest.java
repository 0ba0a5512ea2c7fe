package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TorchThreadTest {
  private final TorchThread torch = TorchThread.shared();

  @Test
  void workFromManyThreadsRunsOnOneThreadOneAtATime() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      Future<?>[] calls = new Future<?>[8];
      for (int i = 0; i < calls.length; i++) {
        int n = i;
        calls[i] =
            callers.submit(
                () ->
                    assertEquals(
                        n * n,
                        (int)
                            torch.call(
                                () -> {
                                  threads.add(Thread.currentThread().getName());
                                  mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                                  Thread.sleep(5);
                                  running.decrementAndGet();
                                  return n * n;
                                })));
      }
      for (Future<?> call : calls) {
        call.get();
      }
    } finally {
      callers.shutdown();
    }
    assertEquals(Set.of("tunelab-torch"), threads);
    assertEquals(1, mostAtOnce.get());
  }

  @Test
  void whatTheWorkThrowsReachesTheCallerUnchanged() {
    IllegalArgumentException bad = new IllegalArgumentException("bad checkpoint");
    assertSame(
        bad,
        assertThrows(
            IllegalArgumentException.class,
            () ->
                torch.call(
                    () -> {
                      throw bad;
                    })));
    IllegalStateException wrapped =
        assertThrows(
            IllegalStateException.class,
            () ->
                torch.call(
                    () -> {
                      throw new IOException("disk");
                    }));
    assertTrue(wrapped.getCause() instanceof IOException);
    // The thread survives a failure.
    assertEquals("ok", torch.call(() -> "ok"));
  }

  @Test
  void workHandedOnByTheTorchThreadItselfRunsInPlace() {
    assertEquals(
        "tunelab-torch", torch.call(() -> torch.call(() -> Thread.currentThread().getName())));
  }
}
