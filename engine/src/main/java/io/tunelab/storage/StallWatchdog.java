package io.tunelab.storage;

import java.net.HttpURLConnection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose writes make no progress for a while: {@link HttpURLConnection} has a
 * read timeout but none for writes, so a put to an endpoint that stopped reading would block
 * forever. The writer calls {@link #progress()} before each write and {@link #done()} at the end.
 */
final class StallWatchdog {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tunelab-put-watchdog");
            t.setDaemon(true);
            return t;
          });

  private final HttpURLConnection connection;
  private final long stallMillis;
  private volatile boolean fired;
  private ScheduledFuture<?> pending;

  StallWatchdog(HttpURLConnection connection, long stallMillis) {
    this.connection = connection;
    this.stallMillis = stallMillis;
  }

  /** Restarts the countdown: the connection is closed {@code stallMillis} from now. */
  synchronized void progress() {
    if (pending != null) {
      pending.cancel(false);
    }
    pending =
        TIMER.schedule(
            () -> {
              fired = true;
              connection.disconnect();
            },
            stallMillis,
            TimeUnit.MILLISECONDS);
  }

  /** Stops watching. */
  synchronized void done() {
    if (pending != null) {
      pending.cancel(false);
    }
  }

  /** Whether the watchdog closed the connection. */
  boolean fired() {
    return fired;
  }
}
