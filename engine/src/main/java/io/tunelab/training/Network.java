package io.tunelab.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.util.Pair;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A classifier built as {@code SequentialBlock[backbone, head]}, so that a pretrained backbone can
 * be loaded by parameter name and the head replaced by a fresh one for another number of classes.
 * {@link Architectures} describes the image architectures, {@link Mlp} the dense network of tables.
 *
 * <p>A stage whose parameters are all frozen runs in inference mode (see {@link Backbone}). The
 * jobs around a network have classes of their own: {@link Architectures} builds the parts, {@link
 * Freezer} freezes, {@link ParameterSnapshots} copies parameter values out and in, {@link
 * Predictor} predicts.
 */
public final class Network {
  static {
    OneDnnGuard.apply();
  }

  /** The architecture whose backbone is a TorchScript module. */
  public static final String TORCHSCRIPT = Architectures.TORCHSCRIPT;

  /** The architectures of images ({@code torchscript} only through fromTorchScript). */
  public static final List<String> ARCHITECTURES = Architectures.ALL;

  /** The dense network of tables ({@link Mlp}). */
  public static final String MLP = Mlp.NAME;

  /** The model of video clips. */
  public static final String C3D = C3d.NAME;

  /** Images per forward pass in {@link #predict}; fixed so that results do not depend on it. */
  public static final int EVAL_BATCH = 256;

  private final String architecture;
  private final SampleShape imageShape;
  private final SampleShape inputShape;
  private final int numClasses;
  private final SequentialBlock block;
  private final Backbone backbone;
  private final Block head;
  private final Freezer freezer;
  private final PtSymbolBlock module;

  private Network(
      String architecture,
      SampleShape imageShape,
      SampleShape inputShape,
      int numClasses,
      Architectures.Parts parts,
      PtSymbolBlock module) {
    this.architecture = architecture;
    this.imageShape = imageShape;
    this.inputShape = inputShape;
    this.numClasses = numClasses;
    this.backbone = parts.backbone();
    this.head = parts.head();
    this.module = module;
    this.block = new SequentialBlock().add(parts.backbone()).add(parts.head());
    Set<Parameter> grads = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Parameter p : block.getParameters().values()) {
      if (p.requiresGradient()) {
        grads.add(p);
      }
    }
    this.freezer = new Freezer(backbone, grads);
  }

  /**
   * Builds an uninitialised network of a built-in architecture.
   *
   * @throws IllegalArgumentException for an unknown architecture, {@code torchscript} or < 2
   *     classes
   */
  public static Network build(String architecture, SampleShape shape, int numClasses) {
    return build(architecture, shape, numClasses, TrainingParams.DEFAULT_HEAD_DROPOUT);
  }

  /**
   * Builds an uninitialised network of a built-in architecture with a given dropout rate before its
   * head (dropout has no parameters, so checkpoints fit either way); an {@code mlp} gets the
   * default hidden layer and no dropout.
   */
  public static Network build(
      String architecture, SampleShape shape, int numClasses, double headDropout) {
    return build(architecture, shape, numClasses, TrainingParams.DEFAULT_HIDDEN, 0, headDropout);
  }

  /**
   * Builds an uninitialised network of a built-in architecture as the parameters say: for {@code
   * mlp} their hidden layers and dropout ({@link Mlp}), for the others their head dropout.
   */
  public static Network build(
      String architecture, SampleShape shape, int numClasses, TrainingParams p) {
    return build(architecture, shape, numClasses, p.hidden(), p.dropout(), p.headDropout());
  }

  private static Network build(
      String architecture,
      SampleShape shape,
      int numClasses,
      List<Integer> hidden,
      double dropout,
      double headDropout) {
    requireClasses(numClasses);
    SampleShape input = inputShape(architecture, shape);
    Architectures.Parts parts =
        MLP.equals(architecture)
            ? Mlp.parts(shape, numClasses, hidden, dropout)
            : C3D.equals(architecture)
                ? C3d.parts(shape, numClasses, headDropout)
                : Architectures.builtIn(architecture, input, numClasses, headDropout);
    return new Network(architecture, shape, input, numClasses, parts, null);
  }

  /**
   * Builds a {@code torchscript} network: the archive's module (weights and buffers, living in
   * {@code manager}) and a new head ({@link Architectures#torchScript}); a forward pass of one
   * blank image checks that the module takes {@code shape} images and returns one tensor per image.
   *
   * @throws TorchScriptException when libtorch cannot load the archive, or the module cannot take
   *     {@code shape} images or does not return one tensor per image
   */
  public static Network fromTorchScript(
      byte[] archive, SampleShape shape, int numClasses, NDManager manager) {
    requireClasses(numClasses);
    PtSymbolBlock module = TorchScriptModules.load(archive, manager);
    TorchScriptModules.outputFeatures(module, shape, manager);
    return new Network(
        TORCHSCRIPT,
        shape,
        shape,
        numClasses,
        Architectures.torchScript(module, numClasses),
        module);
  }

  private static void requireClasses(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be >= 2: " + numClasses);
    }
  }

  /**
   * Rebuilds the network a checkpoint describes (with a {@code torchscript} module, an {@code
   * mlp}'s hidden widths), uninitialised apart from the module; then initialise and {@link #load}.
   */
  public static Network forCheckpoint(Checkpoint checkpoint, NDManager manager) {
    if (TORCHSCRIPT.equals(checkpoint.architecture())) {
      return fromTorchScript(
          checkpoint.module(), checkpoint.shape(), checkpoint.numClasses(), manager);
    }
    return build(
        checkpoint.architecture(),
        checkpoint.shape(),
        checkpoint.numClasses(),
        Mlp.hidden(checkpoint.parameters()),
        0,
        TrainingParams.DEFAULT_HEAD_DROPOUT);
  }

  /** The shape the network takes for images of {@code shape}: padded to 32x32 for ResNets. */
  public static SampleShape inputShape(String architecture, SampleShape shape) {
    return Architectures.inputShape(architecture, shape);
  }

  public String architecture() {
    return architecture;
  }

  /** The image shape the network was built for (before padding). */
  public SampleShape imageShape() {
    return imageShape;
  }

  /** The tensor shape of one input image (after padding). */
  public SampleShape inputShape() {
    return inputShape;
  }

  public int numClasses() {
    return numClasses;
  }

  /** Whether the backbone is a TorchScript module. */
  public boolean isTorchScript() {
    return module != null;
  }

  /** The TorchScript module, or {@code null} (for tests in this package). */
  Block moduleBlock() {
    return module;
  }

  /** How input pixels are normalised for this network. */
  public Inputs.Normalization normalization() {
    return module != null ? Inputs.Normalization.IMAGENET : Inputs.Normalization.HALF;
  }

  /** The feature extractor, for probes that train a head on its frozen output. */
  Backbone backbone() {
    return backbone;
  }

  /** The classifier on top of the backbone, for probes that train it alone. */
  Block head() {
    return head;
  }

  /** The whole network, {@code SequentialBlock[backbone, head]}. */
  public SequentialBlock block() {
    return block;
  }

  /** The input tensor shape for a batch of {@code batch} samples. */
  public Shape batchShape(int batch) {
    if (inputShape.kind() == SampleKind.TABLE) {
      return new Shape(batch, inputShape.features());
    }
    if (inputShape.kind() == SampleKind.CLIP) {
      return new Shape(
          batch,
          inputShape.channels(),
          inputShape.frames(),
          inputShape.height(),
          inputShape.width());
    }
    return new Shape(batch, inputShape.channels(), inputShape.height(), inputShape.width());
  }

  /** Every parameter by its hierarchical name, in block order. */
  public Map<String, Parameter> parameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.put(p.getKey(), p.getValue());
    }
    return out;
  }

  /** The names of the backbone's parameters (running statistics included), in block order. */
  public Set<String> backboneParameterNames() {
    return ParameterSnapshots.names(this, backbone);
  }

  /**
   * The names of the output layer's parameters, the head's last weight and last bias: one unit (a
   * row of the weight, a bias) per class.
   */
  public List<String> outputLayerParameterNames() {
    String weight = null;
    String bias = null;
    Map<String, Parameter> all = parameters();
    for (String name : ParameterSnapshots.names(this, head)) {
      Parameter.Type type = all.get(name).getType();
      if (type == Parameter.Type.WEIGHT) {
        weight = name;
      } else if (type == Parameter.Type.BIAS) {
        bias = name;
      }
    }
    if (weight == null || bias == null) {
      throw new IllegalStateException("the " + architecture + " head has no output layer");
    }
    return List.of(weight, bias);
  }

  /**
   * The names of the head's parameters before its output layer (the {@code cnn}'s hidden linear
   * layer; none for the other architectures): class-agnostic, so {@link HeadReuse} takes them over.
   */
  public Set<String> headHiddenParameterNames() {
    Set<String> names = new LinkedHashSet<>(ParameterSnapshots.names(this, head));
    names.removeAll(outputLayerParameterNames());
    return names;
  }

  /** The names of the parameters of the last backbone stage that has any ("gradual" epoch 2). */
  public Set<String> lastStageParameterNames() {
    return ParameterSnapshots.names(this, Freezer.lastStage(backbone));
  }

  /**
   * Sets which parameters train in epoch {@code epoch} under a freeze strategy ({@link Freezer}
   * says which). Call it after {@code Model.newTrainer} (which may unfreeze everything) and after
   * loading weights.
   */
  public void applyFreeze(Freeze strategy, int epoch) {
    freezer.apply(strategy, epoch);
  }

  /**
   * The names of the TorchScript module's parameters (empty for the built-in architectures); they
   * travel in {@link #moduleArchive()}, not in {@link #snapshot()}.
   */
  public Set<String> moduleParameterNames() {
    return module == null ? Set.of() : ParameterSnapshots.names(this, module);
  }

  /**
   * The TorchScript module as an archive that {@link #fromTorchScript} reads back bit-identically
   * ({@link TorchScriptModules#archive}).
   *
   * @throws IllegalStateException for a network without a module
   */
  public byte[] moduleArchive() {
    return TorchScriptModules.archive(requireModule());
  }

  /**
   * Re-initialises the TorchScript module's parameters for a from-scratch baseline,
   * deterministically from {@code seed} ({@link TorchScriptModules#reinitialise}).
   *
   * @throws IllegalStateException for a network without a module
   */
  public void reinitialiseModule(long seed) {
    TorchScriptModules.reinitialise(requireModule(), seed);
  }

  private PtSymbolBlock requireModule() {
    if (module == null) {
      throw new IllegalStateException("a " + architecture + " network has no TorchScript module");
    }
    return module;
  }

  /** Whether every parameter (the module's included) is finite. */
  public boolean allFinite() {
    return ParameterSnapshots.allFinite(this);
  }

  /** Copies the values of every parameter outside the TorchScript module to arrays, by name. */
  public Map<String, Checkpoint.Tensor> snapshot() {
    return ParameterSnapshots.take(this);
  }

  /**
   * Overwrites parameters with saved values, all or the backbone's ({@link ParameterSnapshots}).
   */
  public void load(Map<String, Checkpoint.Tensor> saved, boolean backboneOnly) {
    ParameterSnapshots.load(this, saved, backboneOnly);
  }

  /** The network's outputs for every image of a split, in inference mode ({@link Predictor}). */
  public ModelOutputs predict(NDManager manager, LabeledImages split) {
    return Predictor.predict(this, manager, split);
  }
}
