package io.tunelab.training;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.util.Objects;

/**
 * A model left alive after an epoch, so that the next epoch of the same arm on this worker can
 * continue from it instead of decoding that epoch's checkpoint and building the model again. It
 * holds what the checkpoint holds (the parameters, buffers and optimizer state as the epoch left
 * them), in the engine's memory; the data order, seeds and learning rate come from the next job as
 * on the checkpoint's path, so both paths train the next epoch bit-identically.
 *
 * <p>Whoever holds one owns it: {@link EpochTrainer#run(EpochJob, StepListener, PartialEpoch,
 * PartialSink, LiveModel, boolean)} takes it over, and anything else must {@link #close()} it. A
 * model trained by a failed or diverged epoch is closed, never kept.
 */
public final class LiveModel implements AutoCloseable {
  final Model model;
  final Network network;
  final NDManager optimizerState;
  final OwnedOptimizer optimizer;
  private final String architecture;
  private final SampleShape shape;
  private final int numClasses;
  private final TrainingParams params;
  private final int epoch;
  private boolean closed;

  LiveModel(
      Model model,
      Network network,
      NDManager optimizerState,
      OwnedOptimizer optimizer,
      EpochJob job) {
    this.model = model;
    this.network = network;
    this.optimizerState = optimizerState;
    this.optimizer = optimizer;
    this.architecture = job.architecture();
    this.shape = job.shape();
    this.numClasses = job.numClasses();
    this.params = job.params();
    this.epoch = job.epoch();
  }

  /** The epoch whose end this model is. */
  public int epoch() {
    return epoch;
  }

  /**
   * Whether {@code job} is the next epoch of the same training: epoch {@link #epoch()} + 1 of the
   * same architecture, image shape, classes and hyper-parameters (all of them, the epoch's own
   * learning rate aside, which the job carries).
   */
  public boolean continues(EpochJob job) {
    return job.epoch() == epoch + 1
        && job.architecture().equals(architecture)
        && job.shape().equals(shape)
        && job.numClasses() == numClasses
        && Objects.equals(job.params(), params);
  }

  /** Whether it has been closed. */
  synchronized boolean closed() {
    return closed;
  }

  /** Frees the model and its optimizer state; closing twice does nothing. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      optimizerState.close();
      model.close();
    }
  }
}
