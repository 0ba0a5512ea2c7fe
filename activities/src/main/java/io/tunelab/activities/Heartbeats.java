package io.tunelab.activities;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.tunelab.progress.Progress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats an activity on a fixed period from a background thread, with the latest progress the
 * activity reported, so that a slow step (a large model on a CPU) never looks like a dead worker
 * and a dead worker is noticed within the heartbeat timeout. When Temporal answers that the
 * activity was canceled or timed out, {@link #checkStopped()} makes the activity stop. Before the
 * first progress it sends nothing. It is the engine's {@link Progress} in the activities.
 */
public final class Heartbeats implements Progress, AutoCloseable {
  /** How often a running activity heartbeats; well inside the activities' heartbeat timeouts. */
  public static final Duration PERIOD = Duration.ofSeconds(2);

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

  /**
   * Starts heartbeating every {@code period} with {@code initial} until new progress arrives
   * ({@code null}: from the first progress on).
   */
  public static Heartbeats start(
      ActivityExecutionContext context, Duration period, Object initial) {
    Heartbeats heartbeats = new Heartbeats(context, initial);
    heartbeats.timer.scheduleAtFixedRate(
        heartbeats::beat, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return heartbeats;
  }

  /** Records the latest progress; it goes out with the next heartbeat. */
  @Override
  public void report(Object details) {
    latest = details;
  }

  /**
   * Throws when Temporal said the activity must stop (canceled, timed out, or its workflow is
   * gone), so the caller stops training instead of finishing an epoch nobody waits for.
   */
  @Override
  public void checkStopped() {
    ActivityCompletionException e = stopped;
    if (e != null) {
      throw e;
    }
  }

  private void beat() {
    if (stopped != null || latest == null) {
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
