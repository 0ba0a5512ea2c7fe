package io.tunelab.workflows.model;

import java.util.List;

/**
 * Epochs of an arm that one training activity trains back to back (a table's epochs take
 * milliseconds; one activity and checkpoint round trip each would cost more than the training).
 * Every epoch still writes its checkpoint, and the activity's heartbeats carry the epochs done, so
 * a retry continues after the last of them. The activity stops after an epoch that diverged, that
 * ends the budget or exhausts the patience ({@link BestEpoch}), or once it has trained for {@code
 * seconds}: stop and pause requests wait at most that long.
 *
 * @param first the first epoch, as it would run alone
 * @param history metrics of the arm's epochs before {@code first}, for the learning-rate schedule
 * @param best the arm's best epoch before {@code first}
 * @param seconds how long the activity trains before it returns with the epochs done
 */
public record EpochsTask(EpochTask first, List<EpochMetrics> history, BestEpoch best, int seconds) {
  public EpochsTask {
    if (first == null || best == null) {
      throw new IllegalArgumentException("first epoch and best epoch must not be null");
    }
    history = history == null ? List.of() : List.copyOf(history);
    if (seconds <= 0) {
      throw new IllegalArgumentException("seconds must be > 0: " + seconds);
    }
  }
}
