package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * SGD with momentum, Adam and AdamW whose state this class owns, keyed by parameter <em>name</em>,
 * so that it can be written into a {@link Checkpoint} and restored into a new model (DJL's own
 * optimizers key their private state by per-instance parameter ids and offer no way to save it).
 *
 * <p>The arithmetic is DJL's: it calls the same engine kernels ({@code sgdUpdate}, {@code
 * adamUpdate}) with the same arguments as DJL's {@code Sgd}, {@code Adam} and {@code AdamW}, which
 * update the weight and the state buffers in place and zero the gradient. SGD uses momentum {@value
 * #SGD_MOMENTUM} and L2 weight decay added to the gradient; Adam adds L2 weight decay to the
 * gradient; AdamW decays the weights directly (decoupled). Adam's constants are DJL's defaults:
 * beta1 0.9, beta2 0.999, epsilon 1e-8. The learning rate is fixed for the life of the instance
 * (one epoch).
 */
final class OwnedOptimizer extends Optimizer {
  static final float SGD_MOMENTUM = 0.9f;
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final String kind;
  private final float learningRate;
  private final float weightDecay;
  private final Map<String, String> namesById;
  private final java.util.Set<String> backbone;
  private final float backboneFactor;
  private final NDManager stateManager;
  private final Map<String, State> states = new LinkedHashMap<>();

  private static final class State {
    int steps;
    final NDArray[] buffers;

    State(int steps, NDArray[] buffers) {
      this.steps = steps;
      this.buffers = buffers;
    }
  }

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }

  /**
   * Creates the optimizer.
   *
   * @param kind the optimizer
   * @param learningRate the learning rate for every step
   * @param weightDecay the weight decay (L2 for sgd and adam, decoupled for adamw)
   * @param namesById the parameter name of each parameter id of the model being trained
   * @param stateManager where the state buffers live (on the training device)
   */
  OwnedOptimizer(
      io.tunelab.workflows.model.Optimizer kind,
      float learningRate,
      float weightDecay,
      Map<String, String> namesById,
      NDManager stateManager) {
    this(kind, learningRate, weightDecay, namesById, stateManager, java.util.Set.of(), 1f);
  }

  /**
   * Creates the optimizer with discriminative learning rates.
   *
   * @param backbone names of the parameters that learn at {@code backboneFactor} times the rate
   * @param backboneFactor the factor on the rate of the {@code backbone} parameters, &gt; 0
   */
  OwnedOptimizer(
      io.tunelab.workflows.model.Optimizer kind,
      float learningRate,
      float weightDecay,
      Map<String, String> namesById,
      NDManager stateManager,
      java.util.Set<String> backbone,
      float backboneFactor) {
    super(new Builder().optWeightDecays(weightDecay));
    this.kind = kind.wire();
    if (!Float.isFinite(learningRate) || learningRate <= 0) {
      throw new IllegalArgumentException("learning rate must be finite and > 0: " + learningRate);
    }
    this.learningRate = learningRate;
    this.weightDecay = weightDecay;
    this.namesById = Map.copyOf(namesById);
    if (!(backboneFactor > 0) || !Float.isFinite(backboneFactor)) {
      throw new IllegalArgumentException(
          "backbone factor must be finite and > 0: " + backboneFactor);
    }
    this.backbone = java.util.Set.copyOf(backbone);
    this.backboneFactor = backboneFactor;
    this.stateManager = Objects.requireNonNull(stateManager, "stateManager");
  }

  String kind() {
    return kind;
  }

  private int bufferCount() {
    return "sgd".equals(kind) ? 1 : 2;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    String name = namesById.get(parameterId);
    if (name == null) {
      throw new IllegalStateException("update for unknown parameter id " + parameterId);
    }
    State state = states.get(name);
    if (state == null) {
      NDArray[] buffers = new NDArray[bufferCount()];
      for (int i = 0; i < buffers.length; i++) {
        buffers[i] =
            stateManager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
      }
      state = new State(0, buffers);
      states.put(name, state);
    }
    int t = ++state.steps;
    float learningRate =
        backbone.contains(name) ? this.learningRate * backboneFactor : this.learningRate;
    NDArrayEx ex = weight.getNDArrayInternal();
    NDList weights = new NDList(weight);
    if ("sgd".equals(kind)) {
      ex.sgdUpdate(
          new NDList(weight, grad, state.buffers[0]),
          weights,
          learningRate,
          weightDecay,
          rescaleGrad,
          clipGrad,
          SGD_MOMENTUM,
          true);
    } else {
      double coef1 = 1.0 - Math.pow(BETA1, t);
      double coef2 = 1.0 - Math.pow(BETA2, t);
      float biasCorrected = (float) (learningRate * Math.sqrt(coef2) / coef1);
      ex.adamUpdate(
          new NDList(weight, grad, state.buffers[0], state.buffers[1]),
          weights,
          learningRate,
          biasCorrected,
          weightDecay,
          rescaleGrad,
          clipGrad,
          BETA1,
          BETA2,
          EPSILON,
          true,
          "adamw".equals(kind));
    }
  }

  /**
   * Takes over the state of the optimizer of the epoch before, on the same live model: the same
   * buffers (in the same state manager) and step counts, exactly what {@link #restore} would
   * rebuild from that epoch's checkpoint.
   *
   * @throws IllegalArgumentException when {@code previous} is of another kind
   */
  void adopt(OwnedOptimizer previous) {
    if (!kind.equals(previous.kind)) {
      throw new IllegalArgumentException(
          "the live model's optimizer is " + previous.kind + " but this epoch uses " + kind);
    }
    states.clear();
    states.putAll(previous.states);
  }

  /** Copies the state to plain arrays, keyed by parameter name in first-update order. */
  Checkpoint.OptimizerState snapshot() {
    Map<String, Checkpoint.Slot> slots = new LinkedHashMap<>();
    for (Map.Entry<String, State> e : states.entrySet()) {
      List<Checkpoint.Tensor> buffers = new ArrayList<>();
      for (NDArray b : e.getValue().buffers) {
        buffers.add(new Checkpoint.Tensor(b.getShape().getShape(), b.toFloatArray()));
      }
      slots.put(e.getKey(), new Checkpoint.Slot(e.getValue().steps, buffers));
    }
    return new Checkpoint.OptimizerState(kind, slots);
  }

  /**
   * Restores state written by {@link #snapshot()} of an optimizer of the same kind.
   *
   * @throws IllegalArgumentException when the state is of another optimizer, names a parameter the
   *     model lacks, or has buffers of the wrong number or shape
   */
  void restore(Checkpoint.OptimizerState saved, Map<String, Shape> shapesByName) {
    if (saved.slots().isEmpty()) {
      return;
    }
    if (!kind.equals(saved.optimizer())) {
      throw new IllegalArgumentException(
          "checkpoint holds "
              + saved.optimizer()
              + " optimizer state but this epoch uses "
              + kind
              + "; changing optimizer mid-run is not supported");
    }
    for (Map.Entry<String, Checkpoint.Slot> e : saved.slots().entrySet()) {
      Shape shape = shapesByName.get(e.getKey());
      if (shape == null) {
        throw new IllegalArgumentException("optimizer state for unknown parameter " + e.getKey());
      }
      List<Checkpoint.Tensor> tensors = e.getValue().buffers();
      if (tensors.size() != bufferCount()) {
        throw new IllegalArgumentException(
            "optimizer state of "
                + e.getKey()
                + " has "
                + tensors.size()
                + " buffers, "
                + kind
                + " needs "
                + bufferCount());
      }
      NDArray[] buffers = new NDArray[tensors.size()];
      for (int i = 0; i < buffers.length; i++) {
        Checkpoint.Tensor t = tensors.get(i);
        if (!new Shape(t.shape()).equals(shape)) {
          throw new IllegalArgumentException(
              "optimizer state of "
                  + e.getKey()
                  + " has shape "
                  + new Shape(t.shape())
                  + ", the parameter has "
                  + shape);
        }
        buffers[i] = stateManager.create(t.values(), shape);
      }
      states.put(e.getKey(), new State(e.getValue().steps(), buffers));
    }
  }
}
