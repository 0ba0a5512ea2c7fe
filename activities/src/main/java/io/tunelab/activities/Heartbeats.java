package io.tunelab.activities;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats an activity on a fixed period from a background thread, with the latest progress the
 * activity reported, so that a slow step (a large model on a CPU) never looks like a dead worker
 * and a dead worker is noticed within the heartbeat timeout. When Temporal answers that the
 * activity was canceled or timed out, {@link #check()} makes the activity stop.
 */
public final class Heartbeats implements AutoCloseable {
  private final ActivityExecutionContext context;
  private final ScheduledExecutorService timer;
  private volatile Object latest;
  private volatile ActivityCompletionException stopped;

  private Heartbeats(ActivityExecutionContext context, Object initial) {
    this.context = context;
    this.latest = initial;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tunelab-heartbeat");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts heartbeating every {@code period} with {@code initial} until new progress arrives. */
  public static Heartbeats start(
      ActivityExecutionContext context, Duration period, Object initial) {
    Heartbeats heartbeats = new Heartbeats(context, initial);
    heartbeats.timer.scheduleAtFixedRate(
        heartbeats::beat, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return heartbeats;
  }

  /** Records the latest progress; it goes out with the next heartbeat. */
  public void progress(Object details) {
    latest = details;
  }

  /**
   * Throws when Temporal said the activity must stop (canceled, timed out, or its workflow is
   * gone), so the caller stops training instead of finishing an epoch nobody waits for.
   */
  public void check() {
    ActivityCompletionException e = stopped;
    if (e != null) {
      throw e;
    }
  }

  private void beat() {
    if (stopped != null) {
      return;
    }
    try {
      context.heartbeat(latest);
    } catch (ActivityCompletionException e) {
      stopped = e;
    } catch (RuntimeException e) {
      // a transient failure to reach the server: the next beat tries again
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
