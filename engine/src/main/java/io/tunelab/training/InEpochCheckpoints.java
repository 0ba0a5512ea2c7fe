package io.tunelab.training;

import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.EpochTask;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of an epoch in flight, saved every {@code checkpointEverySeconds} so that the
 * next attempt of the epoch continues where the last one stopped: the checkpoint, then a small
 * progress record naming it ({@link EpochProgress.Saved}), which the next attempt looks for.
 */
final class InEpochCheckpoints {
  private static final Logger log = LoggerFactory.getLogger(InEpochCheckpoints.class);

  private final ObjectStore store;

  /** What one unit of {@code checkpointEverySeconds} is: a second (tests shorten it). */
  private final Duration inEpochUnit;

  InEpochCheckpoints(ObjectStore store, Duration inEpochUnit) {
    this.store = store;
    this.inEpochUnit = inEpochUnit;
  }

  /** Saves the task's epoch as it trains. */
  Saver saver(EpochTask task) {
    return new Saver(task);
  }

  /**
   * Saves the epoch in flight every {@code checkpointEverySeconds} to the bucket (the checkpoint,
   * then a small progress record naming it, which the next attempt of the epoch looks for), and
   * shows it in the progress details.
   */
  final class Saver implements PartialSink {
    private final EpochTask task;
    private final long intervalNanos;
    private long lastSave = System.nanoTime();
    private EpochProgress.Saved last;

    private Saver(EpochTask task) {
      this.task = task;
      this.intervalNanos =
          inEpochUnit.multipliedBy(task.arm().params().checkpointEverySeconds()).toNanos();
    }

    @Override
    public boolean due() {
      return System.nanoTime() - lastSave >= intervalNanos;
    }

    @Override
    public void save(PartialEpoch partial) {
      ArmSpec arm = task.arm();
      String key = Keys.partialCheckpoint(arm.runId(), arm.arm(), task.epoch());
      store.put(key, partial.checkpoint());
      last =
          new EpochProgress.Saved(
              key,
              partial.stepsDone(),
              partial.lossSum(),
              partial.correct(),
              partial.seen(),
              task.previousCheckpointKey());
      // Written last: a retry trusts the checkpoint only once this names it.
      store.put(
          Keys.partialProgress(arm.runId(), arm.arm(), task.epoch()),
          Json.bytes(last),
          "application/json");
      lastSave = System.nanoTime();
      log.info(
          "run {} arm {} epoch {}: in-epoch checkpoint after step {}",
          arm.runId(),
          arm.arm(),
          task.epoch(),
          partial.stepsDone());
    }

    /** The last checkpoint saved, or {@code null}. */
    EpochProgress.Saved last() {
      return last;
    }
  }

  /**
   * The in-epoch checkpoint an earlier attempt of this epoch left in the bucket, or {@code null}
   * (none, one that started from another checkpoint, or unreadable: the epoch then starts over,
   * which is slower but safe).
   */
  PartialEpoch find(EpochTask task) {
    ArmSpec arm = task.arm();
    if (arm.params().checkpointEverySeconds() <= 0) {
      return null;
    }
    String progressKey = Keys.partialProgress(arm.runId(), arm.arm(), task.epoch());
    EpochProgress.Saved saved;
    try {
      saved = Json.read(store.get(progressKey), EpochProgress.Saved.class);
    } catch (ObjectNotFoundException e) {
      return null;
    } catch (RuntimeException e) {
      log.warn(
          "run {} arm {} epoch {}: {} unreadable ({}); starting the epoch from its start",
          arm.runId(),
          arm.arm(),
          task.epoch(),
          progressKey,
          e.getMessage());
      return null;
    }
    if (!java.util.Objects.equals(saved.startedFrom(), task.previousCheckpointKey())
        || !saved.key().equals(Keys.partialCheckpoint(arm.runId(), arm.arm(), task.epoch()))) {
      return null;
    }
    try {
      byte[] bytes = store.get(saved.key());
      CheckpointCodec.decode(bytes);
      PartialEpoch partial =
          new PartialEpoch(bytes, saved.steps(), saved.lossSum(), saved.correct(), saved.seen());
      log.info(
          "run {} arm {} epoch {}: continuing from the in-epoch checkpoint after step {}",
          arm.runId(),
          arm.arm(),
          task.epoch(),
          saved.steps());
      return partial;
    } catch (ObjectNotFoundException | CorruptCheckpointException | IllegalArgumentException e) {
      log.warn(
          "run {} arm {} epoch {}: in-epoch checkpoint {} unusable ({}); starting the epoch"
              + " from its start",
          arm.runId(),
          arm.arm(),
          task.epoch(),
          saved.key(),
          e.getMessage());
      return null;
    }
  }

  /** Deletes the epoch's in-epoch checkpoint once the epoch is stored. */
  void delete(EpochTask task) {
    ArmSpec arm = task.arm();
    // Its progress record first: without it the checkpoint is never used.
    for (String partial :
        List.of(
            Keys.partialProgress(arm.runId(), arm.arm(), task.epoch()),
            Keys.partialCheckpoint(arm.runId(), arm.arm(), task.epoch()))) {
      try {
        store.delete(partial);
      } catch (RuntimeException e) {
        // Harmless if it stays: only an attempt of this very epoch from the same checkpoint
        // would use it, and it holds a state that epoch really passed through.
        log.warn(
            "run {} arm {}: could not delete {}: {}",
            arm.runId(),
            arm.arm(),
            partial,
            e.getMessage());
      }
    }
  }
}
