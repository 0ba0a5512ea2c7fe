package io.tunelab.training;

import io.tunelab.progress.Progress;
import io.tunelab.workflows.model.BestEpoch;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.EpochsTask;
import io.tunelab.workflows.model.LearningRateSchedule;
import io.tunelab.workflows.model.TrainingParams;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * An arm's epochs trained back to back in one activity ({@link EpochsTask}): each one is the epoch
 * {@link ArmEpochs#train} trains alone, with the learning rate the workflow's schedule gives it and
 * its checkpoint in the bucket before the next begins, so the results are those of one activity per
 * epoch. The progress it reports carries the epochs done, so that a retry given them (the last
 * heartbeat's) continues after the last instead of starting over.
 */
public final class ConsecutiveEpochs {
  /** How many of its own checkpoints found unusable on a retry the activity trains again. */
  private static final int MAX_RECOVERIES = 3;

  /** Epochs whose objects may still be going up while the next trains. */
  private static final int MAX_PENDING = 2;

  private final ArmEpochs epochs;
  private final LongSupplier nanoClock;

  public ConsecutiveEpochs(ArmEpochs epochs) {
    this(epochs, System::nanoTime);
  }

  ConsecutiveEpochs(ArmEpochs epochs, LongSupplier nanoClock) {
    this.epochs = epochs;
    this.nanoClock = nanoClock;
  }

  /**
   * Trains epochs from the task's first (or after {@code done}, the epochs an earlier attempt
   * finished) until one of the task's stops.
   *
   * @param done epochs an earlier attempt of this activity finished, in order from the first; ones
   *     that do not continue the task are ignored
   * @param attempt the activity's attempt, from 1
   * @throws UnusableCheckpointException when the checkpoint the task starts from is missing or
   *     corrupt
   */
  public List<EpochResult> train(
      EpochsTask task, List<EpochResult> done, int attempt, Progress progress) {
    List<EpochResult> results = new ArrayList<>(continuing(task, done));
    long start = nanoClock.getAsLong();
    // Files the models this call's epochs leave alive for the next (ArmEpochs#train).
    String liveToken = "activity " + UUID.randomUUID();
    Uploads uploads = new Uploads(results);
    try {
      boolean firstOfAttempt = true;
      int recoveries = 0;
      while (results.isEmpty() || !stops(task, results, start)) {
        EpochTask next = next(task, results);
        if (next.previousCheckpointKey() != null
            && !epochs.holdsLive(next.previousCheckpointKey())) {
          uploads.awaitAll(); // the epoch reads its checkpoint from the bucket
        }
        Progress reporting =
            new Progress() {
              @Override
              public void report(Object details) {
                List<EpochResult> durable = uploads.stored();
                progress.report(
                    details instanceof EpochProgress p && !durable.isEmpty()
                        ? p.after(durable)
                        : details);
              }

              @Override
              public void checkStopped() {
                progress.checkStopped();
              }
            };
        try {
          ArmEpochs.StoredEpoch epoch =
              epochs.train(
                  next, firstOfAttempt ? attempt : 1, reporting, liveToken, uploads.executor);
          firstOfAttempt = false;
          results.add(epoch.result());
          uploads.add(epoch);
        } catch (UnusableCheckpointException e) {
          if (results.isEmpty() || recoveries >= MAX_RECOVERIES) {
            throw e;
          }
          // The checkpoint of an epoch an earlier attempt finished cannot be read back: that
          // epoch is trained again from the one before it.
          recoveries++;
          results.remove(results.size() - 1);
          uploads.forgetLast();
        }
      }
      uploads.awaitAll();
    } finally {
      uploads.executor.shutdown();
    }
    EpochResult last = results.get(results.size() - 1);
    EpochResult kept = last.checkpointKey() != null ? last : null;
    for (int i = results.size() - 1; kept == null && i >= 0; i--) {
      kept = results.get(i).checkpointKey() != null ? results.get(i) : null;
    }
    if (kept != null) {
      epochs.prune(
          task.first().arm(),
          kept.metrics().epoch(),
          bestCheckpoint(task, results.subList(0, results.indexOf(kept) + 1)));
    }
    return results;
  }

  /**
   * The writes of one call's epochs: on one thread, in order, epoch k's while epoch k+1 trains, at
   * most {@link #MAX_PENDING} behind; the epochs stored so far are the ones a retry may skip.
   */
  private static final class Uploads {
    final ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "tunelab-epochs-upload");
              t.setDaemon(true);
              return t;
            });
    private final Deque<ArmEpochs.StoredEpoch> pending = new ArrayDeque<>();
    private final List<EpochResult> stored;

    Uploads(List<EpochResult> alreadyStored) {
      this.stored = new ArrayList<>(alreadyStored);
    }

    /** Takes an epoch in; waits while too many are still going up. */
    void add(ArmEpochs.StoredEpoch epoch) {
      ArmEpochs.StoredEpoch oldest;
      synchronized (this) {
        pending.add(epoch);
        oldest = pending.size() > MAX_PENDING ? pending.peek() : null;
      }
      if (oldest != null) {
        ArmEpochs.join(oldest.stored());
      }
    }

    /** Waits for every write; the first that failed fails the call. */
    void awaitAll() {
      List<ArmEpochs.StoredEpoch> all;
      synchronized (this) {
        all = List.copyOf(pending);
      }
      for (ArmEpochs.StoredEpoch epoch : all) {
        ArmEpochs.join(epoch.stored());
      }
      stored();
    }

    /** The epochs stored so far, in order (a failed write and those after it are not). */
    synchronized List<EpochResult> stored() {
      while (!pending.isEmpty()
          && pending.peek().stored().isDone()
          && !pending.peek().stored().isCompletedExceptionally()) {
        stored.add(pending.poll().result());
      }
      return List.copyOf(stored);
    }

    /** Drops the last epoch, stored (from an earlier attempt) or not. */
    synchronized void forgetLast() {
      if (pending.isEmpty()) {
        stored.remove(stored.size() - 1);
      } else {
        pending.removeLast();
      }
    }
  }

  /** The epochs of {@code done} that continue the task from its first epoch, in order. */
  private static List<EpochResult> continuing(EpochsTask task, List<EpochResult> done) {
    List<EpochResult> kept = new ArrayList<>();
    if (done == null) {
      return kept;
    }
    for (EpochResult r : done) {
      boolean next = r.metrics().epoch() == task.first().epoch() + kept.size();
      if (!next || r.checkpointKey() == null || r.metrics().diverged()) {
        break;
      }
      kept.add(r);
    }
    return kept;
  }

  /** The epoch after {@code results}: its learning rate by the schedule over the whole history. */
  private static EpochTask next(EpochsTask task, List<EpochResult> results) {
    if (results.isEmpty()) {
      return task.first();
    }
    EpochTask first = task.first();
    List<EpochMetrics> history = new ArrayList<>(task.history());
    for (EpochResult r : results) {
      history.add(r.metrics());
    }
    int epoch = first.epoch() + results.size();
    return new EpochTask(
        first.arm(),
        first.dataset(),
        epoch,
        LearningRateSchedule.forEpoch(first.arm().params(), epoch, history),
        results.get(results.size() - 1).checkpointKey(),
        bestCheckpoint(task, results));
  }

  /** Whether the activity returns after the last of {@code results}. */
  private boolean stops(EpochsTask task, List<EpochResult> results, long start) {
    TrainingParams params = task.first().arm().params();
    EpochMetrics last = results.get(results.size() - 1).metrics();
    return last.diverged()
        || last.epoch() >= params.epochs()
        || best(task, results).patienceExhausted(last.epoch(), params)
        || nanoClock.getAsLong() - start >= task.seconds() * 1_000_000_000L;
  }

  private static BestEpoch best(EpochsTask task, List<EpochResult> results) {
    BestEpoch best = task.best();
    for (EpochResult r : results) {
      best = best.after(r.metrics(), task.first().arm().params());
    }
    return best;
  }

  /** The checkpoint of the best epoch so far, which pruning keeps. */
  private static String bestCheckpoint(EpochsTask task, List<EpochResult> results) {
    int best = best(task, results).epoch();
    for (EpochResult r : results) {
      if (r.metrics().epoch() == best) {
        return r.checkpointKey();
      }
    }
    return task.first().bestCheckpointKey();
  }
}
