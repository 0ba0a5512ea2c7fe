package io.tunelab.dataset;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs one task per candidate file on a fixed number of daemon threads and returns the results in
 * candidate order, so the outcome does not depend on the number of threads. Progress is reported on
 * the calling thread as tasks finish.
 */
final class DecodePool {
  private final int threads;

  DecodePool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    this.threads = threads;
  }

  /** Whether more than one thread works, which lets the duplicate search run in parallel too. */
  boolean parallel() {
    return threads > 1;
  }

  /**
   * Runs {@code task} for indices 0 to {@code total - 1}.
   *
   * @return the results by index
   * @throws IOException when the thread is interrupted, or a task throws a checked exception
   */
  <T> List<T> map(int total, IngestProgress progress, IntFunction<T> task) throws IOException {
    Object[] results = new Object[total];
    progress.update(0, total);
    if (total == 0) {
      return List.of();
    }
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(threads, total),
            r -> {
              Thread t = new Thread(r, "tunelab-ingest-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      CompletionService<Integer> done = new ExecutorCompletionService<>(pool);
      for (int i = 0; i < total; i++) {
        int index = i;
        done.submit(
            () -> {
              results[index] = task.apply(index);
              return index;
            });
      }
      for (int i = 0; i < total; i++) {
        done.take().get();
        progress.update(i + 1, total);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException stop = new InterruptedIOException("ingest interrupted");
      stop.initCause(e);
      throw stop;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException("decoding failed", cause);
    } finally {
      pool.shutdownNow();
    }
    @SuppressWarnings("unchecked")
    List<T> typed = (List<T>) Arrays.asList(results);
    return typed;
  }
}
