package io.tunelab.training;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.SampleShape;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to continue training after an epoch, or to evaluate the model: the network
 * description (architecture, input shape, number of classes), every parameter by name (including
 * batch-norm running statistics), the optimizer's state by parameter name, the random-number and
 * data-order information of the epoch that produced it, and that epoch's metrics. {@link
 * CheckpointCodec} turns it into bytes and back.
 *
 * <p>A {@code torchscript} network (see {@link Network#fromTorchScript}) also carries its
 * TorchScript module as an archive ({@link #module()}): DJL exposes a scripted module's parameters
 * by name but not its buffers (batch-norm running statistics), and the module's structure exists
 * only as TorchScript, so the archive written by libtorch after the epoch is the only faithful
 * record of it. Its parameters are then kept in the archive only; {@link #parameters()} holds the
 * parameters outside it (the head). The optimizer state stays by parameter name for every
 * parameter, the module's included.
 *
 * <p>Parameter names are DJL's hierarchical block names (for example {@code
 * 01Backbone_01SequentialBlock_01Conv2d_weight}); they are stable as long as the network built by
 * {@link Network} does not change.
 *
 * @param architecture the network architecture, as in {@link EpochJob#architecture()}
 * @param shape the image shape the model was trained on (before any padding)
 * @param numClasses the number of output classes
 * @param epoch the last completed epoch, from 1 (0 for an untrained model)
 * @param rng the seeds and data order of that epoch
 * @param metrics that epoch's metrics, or {@code null} when none were recorded
 * @param parameters every parameter outside the module archive by name, in block order (copied,
 *     unmodifiable; the tensors are not copied)
 * @param optimizerState the optimizer state; {@code null} becomes {@link OptimizerState#EMPTY}
 * @param module the TorchScript archive of a {@code torchscript} network's module (structure,
 *     parameters and buffers as libtorch saved them after the epoch), or {@code null} for the other
 *     architectures; not copied: do not modify it
 */
public record Checkpoint(
    String architecture,
    SampleShape shape,
    int numClasses,
    int epoch,
    RngInfo rng,
    EpochMetrics metrics,
    Map<String, Tensor> parameters,
    OptimizerState optimizerState,
    byte[] module) {

  /**
   * Checks and copies the fields.
   *
   * @throws IllegalArgumentException when a {@code torchscript} checkpoint lacks its module or
   *     another architecture has one
   */
  public Checkpoint {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(rng, "rng");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    optimizerState = optimizerState == null ? OptimizerState.EMPTY : optimizerState;
    if (Network.TORCHSCRIPT.equals(architecture) != (module != null)) {
      throw new IllegalArgumentException(
          Network.TORCHSCRIPT.equals(architecture)
              ? "a torchscript checkpoint needs its module archive"
              : "a " + architecture + " checkpoint has no module archive");
    }
  }

  /**
   * The widths of the hidden layers of an {@code mlp} checkpoint, input side first.
   *
   * @throws IllegalStateException for another architecture
   */
  public List<Integer> mlpHidden() {
    if (!Network.MLP.equals(architecture)) {
      throw new IllegalStateException("a " + architecture + " checkpoint has no hidden layers");
    }
    return Mlp.hidden(parameters);
  }

  /** What the checkpoint is, without its tensors. */
  @Override
  public String toString() {
    return "Checkpoint["
        + architecture
        + " "
        + shape
        + ", "
        + numClasses
        + " classes, epoch "
        + epoch
        + ", "
        + parameters.size()
        + " parameters"
        + (module == null ? "" : ", module of " + module.length + " bytes")
        + "]";
  }

  /** A copy of this checkpoint with another optimizer state (for example none). */
  public Checkpoint withOptimizerState(OptimizerState state) {
    return new Checkpoint(
        architecture, shape, numClasses, epoch, rng, metrics, parameters, state, module);
  }

  /**
   * One float32 tensor: its shape and its values in row-major order.
   *
   * @param shape the dimensions
   * @param values the values; their count is the product of the dimensions
   */
  public record Tensor(long[] shape, float[] values) {
    public Tensor {
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(values, "values");
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n != values.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " holds " + n + " values, not " + values.length);
      }
    }

    /** Whether both tensors have the same shape and bit-identical values. */
    public boolean sameAs(Tensor other) {
      return Arrays.equals(shape, other.shape) && Arrays.equals(values, other.values);
    }
  }

  /**
   * The state of one parameter in the optimizer.
   *
   * @param steps how many updates the parameter has had (Adam's bias correction uses it)
   * @param buffers the state tensors: none for plain SGD, the momentum for SGD with momentum, the
   *     first and second moments for Adam and AdamW
   */
  public record Slot(int steps, List<Tensor> buffers) {
    public Slot {
      buffers = List.copyOf(buffers);
    }
  }

  /**
   * The optimizer state of a whole model, keyed by parameter name.
   *
   * @param optimizer the optimizer that wrote it ({@code sgd}, {@code adam}, {@code adamw}), or the
   *     empty string for none
   * @param slots the state of each parameter that has been updated at least once
   */
  public record OptimizerState(String optimizer, Map<String, Slot> slots) {
    /** No state: a fresh optimizer. */
    public static final OptimizerState EMPTY = new OptimizerState("", Map.of());

    public OptimizerState {
      Objects.requireNonNull(optimizer, "optimizer");
      slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    }
  }

  /**
   * Random-number and data-order information of the epoch that produced a checkpoint. It is
   * informative (every seed is derived again from the experiment seed and the epoch number), and
   * lets a reader check that a resumed run used the same data order.
   *
   * @param seed the experiment seed
   * @param dataOrderSeed the seed of the {@link java.util.Random} that shuffled the training set
   * @param engineSeed the engine seed set before the epoch's training loop (dropout masks)
   * @param trainExamples the number of training images seen in the epoch
   * @param steps the number of optimisation steps in the epoch
   */
  public record RngInfo(
      long seed, long dataOrderSeed, int engineSeed, int trainExamples, int steps) {}
}
