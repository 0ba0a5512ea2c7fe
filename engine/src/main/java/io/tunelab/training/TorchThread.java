package io.tunelab.training;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;

/**
 * The one thread of a worker process on which libtorch runs: training epochs, evaluations and
 * probes are handed to it and run one at a time, in the order they arrive, while the activity's own
 * thread waits for the result.
 *
 * <p>Two reasons. libtorch's random generator is process-global (see {@link EpochTrainer}), so two
 * models trained at once in one process would interleave their draws; a single thread rules that
 * out for every worker of the process. And a thread that has run libtorch before runs it faster
 * (with far fewer page faults), while Temporal's activity pool would hand a run's epochs and
 * evaluations to whichever thread is free.
 *
 * <p>What the work throws reaches the caller unchanged (unchecked exceptions and errors; a checked
 * one is wrapped in an {@link IllegalStateException}). A caller interrupted while it waits cancels
 * its work if it has not started, interrupts it if it has, and gets a {@link
 * CancellationException}.
 */
public final class TorchThread {
  static {
    OneDnnGuard.apply();
  }

  private static final TorchThread SHARED = new TorchThread("tunelab-torch");

  private final ExecutorService executor;

  /** The executor's one thread, once started: work it hands to itself runs in place. */
  private volatile Thread thread;

  private TorchThread(String name) {
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              thread = t;
              return t;
            });
  }

  /** The process's torch thread, started on first use; a daemon, so it never keeps a JVM up. */
  public static TorchThread shared() {
    return SHARED;
  }

  /**
   * Runs {@code work} on the torch thread and returns its result; runs it in place when called from
   * the torch thread itself.
   */
  public <T> T call(Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    if (Thread.currentThread() == thread) {
      task.run();
    } else {
      executor.execute(task);
    }
    try {
      return task.get();
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      CancellationException stop =
          new CancellationException("interrupted while waiting for " + "the torch thread");
      stop.initCause(e);
      throw stop;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }
}
