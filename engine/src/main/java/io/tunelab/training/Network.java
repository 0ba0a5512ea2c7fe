package io.tunelab.training;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
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
 * The head is {@code Dropout(0.2) -> Linear(numClasses)}, preceded for {@code cnn} by its fully
 * connected layer.
 *
 * <ul>
 *   <li>{@code cnn}: two backbone stages: [conv 32 3x3 pad 1, batch norm, relu, max-pool 2], [conv
 *       64 3x3 pad 1, batch norm, relu, max-pool 2]; the head is [flatten, linear 128, relu,
 *       dropout, linear classes]. The fully connected layer belongs to the head because it learns
 *       combinations specific to the source classes: kept in the backbone it gave a linear probe at
 *       chance level and a slow fine-tune on Fashion-MNIST classes the source model never saw,
 *       while the convolutional features transfer. Models saved with the older three-stage backbone
 *       still load (their fully connected layer is simply not used).
 *   <li>{@code resnet18}, {@code resnet50}: DJL's {@link ResNetV1} without its final linear layer;
 *       every residual unit is one stage. DJL refuses 18 and 50 layers for inputs of 28 pixels or
 *       less, so images smaller than 32x32 are centred on a black 32x32 canvas (see {@link
 *       Inputs}); for inputs of at most 32 pixels DJL builds its CIFAR-style variant (3x3 stem, no
 *       max-pool, bottleneck units).
 *   <li>{@code torchscript}: a TorchScript module (for example {@code torch.jit.script} of a
 *       torchvision model, saved with {@code torch.jit.save}) as the backbone's only stage, built
 *       by {@link #fromTorchScript} from the archive's bytes; whatever the module returns per image
 *       (1000 ImageNet logits, or features) is flattened and fed to the new head. Its inputs use
 *       {@link Inputs.Normalization#IMAGENET}, the others' {@link Inputs.Normalization#HALF}. The
 *       module's parameters are DJL parameters named by their TorchScript names; its buffers
 *       (batch-norm running statistics) are reachable only through the archive ({@link
 *       #moduleArchive}).
 * </ul>
 *
 * <p>A stage whose parameters are all frozen runs in inference mode (see {@link Backbone}).
 */
public final class Network {
  static {
    OneDnnGuard.apply();
  }

  /** The architecture whose backbone is a TorchScript module. */
  public static final String TORCHSCRIPT = "torchscript";

  /** The architectures this class knows ({@code torchscript} only through fromTorchScript). */
  public static final List<String> ARCHITECTURES =
      List.of("cnn", "resnet18", "resnet50", TORCHSCRIPT);

  /** Images per forward pass in {@link #predict}; fixed so that results do not depend on it. */
  public static final int EVAL_BATCH = 256;

  private final String architecture;
  private final SampleShape imageShape;
  private final SampleShape inputShape;
  private final int numClasses;
  private final SequentialBlock block;
  private final Backbone backbone;
  private final Set<Parameter> trainable;
  private final PtSymbolBlock module;

  private Network(
      String architecture,
      SampleShape imageShape,
      SampleShape inputShape,
      int numClasses,
      Backbone backbone,
      SequentialBlock head,
      PtSymbolBlock module) {
    this.architecture = architecture;
    this.imageShape = imageShape;
    this.inputShape = inputShape;
    this.numClasses = numClasses;
    this.backbone = backbone;
    this.module = module;
    this.block = new SequentialBlock().add(backbone).add(head);
    Set<Parameter> grads = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Parameter p : block.getParameters().values()) {
      if (p.requiresGradient()) {
        grads.add(p);
      }
    }
    this.trainable = grads;
  }

  /**
   * Builds an uninitialised network of a built-in architecture.
   *
   * @throws IllegalArgumentException for an unknown architecture, for {@code torchscript} (see
   *     {@link #fromTorchScript}) or for fewer than two classes
   */
  public static Network build(String architecture, SampleShape shape, int numClasses) {
    return build(architecture, shape, numClasses, TrainingParams.DEFAULT_HEAD_DROPOUT);
  }

  /**
   * Builds an uninitialised network of a built-in architecture with a given dropout rate before its
   * head (dropout has no parameters, so checkpoints fit either way).
   */
  public static Network build(
      String architecture, SampleShape shape, int numClasses, double headDropout) {
    requireClasses(numClasses);
    SampleShape input = inputShape(architecture, shape);
    SequentialBlock head = new SequentialBlock();
    if ("cnn".equals(architecture)) {
      head.add(Blocks.batchFlattenBlock())
          .add(Linear.builder().setUnits(128).build())
          .add(Activation.reluBlock());
    }
    head.add(Dropout.builder().optRate((float) headDropout).build())
        .add(Linear.builder().setUnits(numClasses).build());
    Backbone backbone = new Backbone();
    switch (architecture) {
      case TORCHSCRIPT:
        throw new IllegalArgumentException(
            "a torchscript network is built from its archive (Network.fromTorchScript)");
      case "cnn":
        backbone
            .add(
                new SequentialBlock()
                    .add(
                        Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1))
                            .setFilters(32)
                            .build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2))))
            .add(
                new SequentialBlock()
                    .add(
                        Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1))
                            .setFilters(64)
                            .build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2))));
        break;
      case "resnet18":
      case "resnet50":
        Block resnet =
            ResNetV1.builder()
                .setImageShape(new Shape(input.channels(), input.height(), input.width()))
                .setNumLayers("resnet18".equals(architecture) ? 18 : 50)
                .setOutSize(numClasses)
                .build();
        List<Block> layers = new ArrayList<>(resnet.getChildren().values());
        // DJL ends with [..., global avg pool, flatten, Linear(outSize), flatten]: drop the last
        // two.
        for (Block layer : layers.subList(0, layers.size() - 2)) {
          backbone.add(layer);
        }
        break;
      default:
        throw new IllegalArgumentException(
            "architecture must be one of " + String.join("|", ARCHITECTURES) + ": " + architecture);
    }
    return new Network(architecture, shape, input, numClasses, backbone, head, null);
  }

  /**
   * Builds a {@code torchscript} network: the archive's module, with the weights and buffers it
   * holds, followed by a new uninitialised head {@code flatten -> Dropout(0.2) ->
   * Linear(numClasses)}. The module lives in {@code manager} (and on its device) and is released
   * with it. A forward pass of one blank image in inference mode checks that the module takes
   * images of {@code shape} and returns one tensor per image.
   *
   * @throws TorchScriptException when libtorch cannot load the archive, or the module cannot take
   *     {@code shape} images or does not return one tensor per image
   */
  public static Network fromTorchScript(
      byte[] archive, SampleShape shape, int numClasses, NDManager manager) {
    requireClasses(numClasses);
    PtSymbolBlock module = TorchScriptModules.load(archive, manager);
    TorchScriptModules.outputFeatures(module, shape, manager);
    Backbone backbone = new Backbone();
    backbone.add(module);
    SequentialBlock head =
        new SequentialBlock()
            .add(new LambdaBlock(Network::flattenCopy, "flattenCopy"))
            .add(Dropout.builder().optRate(0.2f).build())
            .add(Linear.builder().setUnits(numClasses).build());
    return new Network(TORCHSCRIPT, shape, shape, numClasses, backbone, head, module);
  }

  /**
   * Flattens the module's output to (batch, features) and copies it. A module run in inference mode
   * (frozen, or while predicting) returns libtorch "inference tensors", which autograd refuses to
   * save for the head's backward pass; a copy is an ordinary tensor. The copy is a differentiable
   * {@code to(float32, copy=true)}, so a training module still gets gradients ({@code duplicate()}
   * would cut them off).
   */
  private static NDList flattenCopy(NDList outputs) {
    NDArray features = outputs.singletonOrThrow();
    return new NDList(
        features.reshape(new Shape(features.getShape().get(0), -1)).toType(DataType.FLOAT32, true));
  }

  private static void requireClasses(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be >= 2: " + numClasses);
    }
  }

  /**
   * Rebuilds the network a checkpoint describes (its module archive included, for {@code
   * torchscript}), uninitialised apart from the module; load the checkpoint's parameters with
   * {@link #load} after initialising.
   */
  public static Network forCheckpoint(Checkpoint checkpoint, NDManager manager) {
    if (TORCHSCRIPT.equals(checkpoint.architecture())) {
      return fromTorchScript(
          checkpoint.module(), checkpoint.shape(), checkpoint.numClasses(), manager);
    }
    return build(checkpoint.architecture(), checkpoint.shape(), checkpoint.numClasses());
  }

  /** The shape the network takes for images of {@code shape}: padded to 32x32 for ResNets. */
  public static SampleShape inputShape(String architecture, SampleShape shape) {
    if (architecture.startsWith("resnet") && (shape.height() < 32 || shape.width() < 32)) {
      return SampleShape.image(
          shape.channels(), Math.max(32, shape.height()), Math.max(32, shape.width()));
    }
    return shape;
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

  /** The whole network, {@code SequentialBlock[backbone, head]}. */
  public SequentialBlock block() {
    return block;
  }

  /** The input tensor shape for a batch of {@code batch} images. */
  public Shape batchShape(int batch) {
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
    return namesOf(backbone);
  }

  /**
   * The names of the parameters of the last backbone stage that has parameters (the block that
   * "gradual" unfreezes in its second epoch).
   */
  public Set<String> lastStageParameterNames() {
    return namesOf(lastStage());
  }

  private Set<String> namesOf(Block part) {
    Set<Parameter> mine = Collections.newSetFromMap(new IdentityHashMap<>());
    mine.addAll(part.getParameters().values());
    Set<String> names = new LinkedHashSet<>();
    for (Map.Entry<String, Parameter> e : parameters().entrySet()) {
      if (mine.contains(e.getValue())) {
        names.add(e.getKey());
      }
    }
    return names;
  }

  private Block lastStage() {
    List<Block> stages = backbone.getChildren().values();
    for (int i = stages.size() - 1; i >= 0; i--) {
      if (!stages.get(i).getParameters().isEmpty()) {
        return stages.get(i);
      }
    }
    throw new IllegalStateException("backbone has no parameters");
  }

  /**
   * Sets which parameters train in epoch {@code epoch} under a freeze strategy: {@code none} trains
   * everything; {@code backbone} trains the head only; {@code gradual} trains the head only in
   * epoch 1, the head and the last backbone stage in epoch 2, and everything from epoch 3. Call it
   * after {@code Model.newTrainer} (which may unfreeze everything) and after loading weights.
   * Batch-norm running statistics never take gradients and are left alone.
   */
  public void applyFreeze(Freeze strategy, int epoch) {
    for (Parameter p : trainable) {
      p.freeze(false);
    }
    switch (strategy) {
      case NONE:
        return;
      case BACKBONE:
        freezeBackbone();
        return;
      case GRADUAL:
        if (epoch <= 2) {
          freezeBackbone();
        }
        if (epoch == 2) {
          for (Parameter p : lastStage().getParameters().values()) {
            if (trainable.contains(p)) {
              p.freeze(false);
            }
          }
        }
        return;
      default:
        throw new IllegalArgumentException("freeze strategy: " + strategy);
    }
  }

  private void freezeBackbone() {
    for (Parameter p : backbone.getParameters().values()) {
      if (trainable.contains(p)) {
        p.freeze(true);
      }
    }
  }

  /**
   * The names of the TorchScript module's parameters (empty for the built-in architectures); they
   * travel in {@link #moduleArchive()}, not in {@link #snapshot()}.
   */
  public Set<String> moduleParameterNames() {
    return module == null ? Set.of() : namesOf(module);
  }

  /**
   * The TorchScript module as an archive that {@link #fromTorchScript} reads back bit-identically:
   * its structure, current parameters and buffers (libtorch's {@code Module::save}).
   *
   * @throws IllegalStateException for a network without a module
   */
  public byte[] moduleArchive() {
    if (module == null) {
      throw new IllegalStateException("a " + architecture + " network has no TorchScript module");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 20);
    JniUtils.writeModule(module, out, false);
    return out.toByteArray();
  }

  /**
   * Re-initialises the TorchScript module's parameters for a from-scratch baseline,
   * deterministically from {@code seed} (see {@link TorchScriptModules#reinitialise} for the
   * scheme).
   *
   * @throws IllegalStateException for a network without a module
   */
  public void reinitialiseModule(long seed) {
    if (module == null) {
      throw new IllegalStateException("a " + architecture + " network has no TorchScript module");
    }
    TorchScriptModules.reinitialise(module, seed);
  }

  /** Whether every parameter (the module's included) is finite. */
  public boolean allFinite() {
    for (Parameter p : parameters().values()) {
      for (float v : p.getArray().toFloatArray()) {
        if (!Float.isFinite(v)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Copies the values of every parameter outside the TorchScript module (all of them for the
   * built-in architectures) to plain arrays, by name.
   */
  public Map<String, Checkpoint.Tensor> snapshot() {
    Set<String> inModule = moduleParameterNames();
    Map<String, Checkpoint.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : parameters().entrySet()) {
      if (inModule.contains(e.getKey())) {
        continue;
      }
      NDArray a = e.getValue().getArray();
      out.put(e.getKey(), new Checkpoint.Tensor(a.getShape().getShape(), a.toFloatArray()));
    }
    return out;
  }

  /**
   * Overwrites the initialised parameters with saved values, all of them or the backbone's only.
   * The parameters of a TorchScript module are never among them: they come with its archive.
   *
   * @throws IllegalArgumentException when a needed parameter is missing or has another shape, or
   *     (for a full load) the saved values name parameters this network lacks
   */
  public void load(Map<String, Checkpoint.Tensor> saved, boolean backboneOnly) {
    Map<String, Parameter> params = parameters();
    Set<String> wanted =
        new LinkedHashSet<>(backboneOnly ? backboneParameterNames() : params.keySet());
    wanted.removeAll(moduleParameterNames());
    if (!backboneOnly) {
      for (String name : saved.keySet()) {
        if (!wanted.contains(name)) {
          throw new IllegalArgumentException(
              "checkpoint has parameter " + name + " that the " + architecture + " network lacks");
        }
      }
    }
    for (String name : wanted) {
      Checkpoint.Tensor t = saved.get(name);
      if (t == null) {
        throw new IllegalArgumentException(
            "checkpoint lacks parameter " + name + " of the " + architecture + " network");
      }
      NDArray array = params.get(name).getArray();
      if (!array.getShape().equals(new Shape(t.shape()))) {
        throw new IllegalArgumentException(
            "parameter "
                + name
                + " has shape "
                + array.getShape()
                + " but the checkpoint holds "
                + new Shape(t.shape()));
      }
      array.set(t.values());
    }
  }

  /**
   * Runs the network in inference mode (no dropout, batch-norm running statistics) over a whole
   * split in fixed batches of {@link #EVAL_BATCH}, without augmentation, with libtorch's autograd
   * off for the calling thread meanwhile. (DJL turns it off only on the thread that started the
   * engine; on any other thread, such as a Temporal activity's, it would record every operation,
   * and refuse a TorchScript module's inference output.)
   */
  public ModelOutputs predict(NDManager manager, LabeledImages split) {
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return predictWithoutGrad(manager, split);
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  private ModelOutputs predictWithoutGrad(NDManager manager, LabeledImages split) {
    int n = split.size();
    int[] predicted = new int[n];
    float[] confidence = new float[n];
    float[] exampleLoss = new float[n];
    float[] probabilities = new float[n * numClasses];
    double lossSum = 0;
    int correct = 0;
    ParameterStore store = new ParameterStore(manager, false);
    for (int from = 0; from < n; from += EVAL_BATCH) {
      int to = Math.min(n, from + EVAL_BATCH);
      try (NDManager batch = manager.newSubManager()) {
        NDArray x =
            Inputs.images(batch, split, null, from, to, inputShape, normalization(), null, 0, 0);
        NDArray logits = block.forward(store, new NDList(x), false).singletonOrThrow();
        float[] logp = logits.logSoftmax(1).toFloatArray();
        for (int k = 0; k < to - from; k++) {
          int base = k * numClasses;
          int best = 0;
          for (int j = 1; j < numClasses; j++) {
            if (logp[base + j] > logp[base + best]) {
              best = j;
            }
          }
          int i = from + k;
          for (int j = 0; j < numClasses; j++) {
            probabilities[i * numClasses + j] = (float) Math.exp(logp[base + j]);
          }
          int label = split.label(i);
          if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException(
                "label " + label + " of image " + i + " is outside 0.." + (numClasses - 1));
          }
          predicted[i] = best;
          confidence[i] = (float) Math.exp(logp[base + best]);
          exampleLoss[i] = -logp[base + label];
          lossSum += exampleLoss[i];
          if (best == label) {
            correct++;
          }
        }
      }
    }
    return new ModelOutputs(
        n == 0 ? Double.NaN : lossSum / n,
        n == 0 ? Double.NaN : (double) correct / n,
        predicted,
        confidence,
        exampleLoss,
        probabilities);
  }
}
