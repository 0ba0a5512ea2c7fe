package io.tunelab.training;

/**
 * Checks that the checkpoints handed to an epoch job fit it: the same architecture, image shape and
 * number of classes, the epoch before (or, part-way, the same epoch and step count); a mismatch is
 * an {@link IllegalArgumentException} that names both sides.
 */
final class JobFit {
  private JobFit() {}

  /** Checks that a checkpoint saved part-way through an epoch fits the job and its step count. */
  static void partial(EpochJob job, Checkpoint partial, PartialEpoch resume) {
    if (!sameModel(partial, job) || partial.epoch() != job.epoch()) {
      throw new IllegalArgumentException(
          "in-epoch checkpoint is epoch "
              + partial.epoch()
              + " of a "
              + model(partial)
              + ", but the job is epoch "
              + job.epoch()
              + " of a "
              + model(job));
    }
    int totalSteps = new Batches(job.train().size(), job.params().batchSize()).count();
    if (partial.rng().trainExamples() != job.train().size() || resume.stepsDone() >= totalSteps) {
      throw new IllegalArgumentException(
          "in-epoch checkpoint after step "
              + resume.stepsDone()
              + " of "
              + partial.rng().trainExamples()
              + " training images does not fit an epoch of "
              + totalSteps
              + " steps on "
              + job.train().size()
              + " images");
    }
  }

  /** Checks that the previous and pretrained checkpoints (either may be null) fit the job. */
  static void start(EpochJob job, Checkpoint previous, Checkpoint pretrained) {
    if (previous != null) {
      if (!sameModel(previous, job)) {
        throw new IllegalArgumentException(
            "previous checkpoint is a " + model(previous) + ", but the job trains a " + model(job));
      }
      if (previous.epoch() != job.epoch() - 1) {
        throw new IllegalArgumentException(
            "previous checkpoint is from epoch "
                + previous.epoch()
                + " but the job is epoch "
                + job.epoch());
      }
    } else if (job.epoch() > 1) {
      throw new IllegalArgumentException(
          "epoch " + job.epoch() + " needs the checkpoint of epoch " + (job.epoch() - 1));
    }
    if (pretrained != null
        && Network.MLP.equals(job.architecture())
        && sameNetwork(pretrained, job)
        && !Mlp.hidden(pretrained.parameters()).equals(job.params().hidden())) {
      throw new IllegalArgumentException(
          "pretrained mlp has hidden layers "
              + Mlp.hidden(pretrained.parameters())
              + ", but the job trains hidden layers "
              + job.params().hidden());
    }
    if (pretrained != null && !sameNetwork(pretrained, job)) {
      throw new IllegalArgumentException(
          "pretrained checkpoint is a "
              + pretrained.architecture()
              + " for "
              + pretrained.shape()
              + " images, but the job trains a "
              + job.architecture()
              + " for "
              + job.shape()
              + " images");
    }
  }

  /** Whether the checkpoint holds the job's architecture for its image shape. */
  private static boolean sameNetwork(Checkpoint c, EpochJob job) {
    return c.architecture().equals(job.architecture()) && c.shape().equals(job.shape());
  }

  /** Whether the checkpoint holds the job's architecture, image shape and number of classes. */
  private static boolean sameModel(Checkpoint c, EpochJob job) {
    return sameNetwork(c, job) && c.numClasses() == job.numClasses();
  }

  private static String model(Checkpoint c) {
    return model(c.architecture(), c.shape(), c.numClasses());
  }

  private static String model(EpochJob job) {
    return model(job.architecture(), job.shape(), job.numClasses());
  }

  private static String model(String architecture, Object shape, int numClasses) {
    return architecture + " for " + shape + " images and " + numClasses + " classes";
  }
}
