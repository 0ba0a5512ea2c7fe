package io.tunelab.training;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.ImageShape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A classifier built as {@code SequentialBlock[backbone, head]}, so that a pretrained backbone
 * can be loaded by parameter name and the head replaced by a fresh one for another number of
 * classes. The head is {@code Dropout(0.2) -> Linear(numClasses)} for every architecture.
 *
 * <ul>
 *   <li>{@code cnn}: three backbone stages: [conv 32 3x3 pad 1, batch norm, relu, max-pool 2],
 *       [conv 64 3x3 pad 1, batch norm, relu, max-pool 2], [flatten, linear 128, relu].
 *   <li>{@code resnet18}, {@code resnet50}: DJL's {@link ResNetV1} without its final linear
 *       layer; every residual unit is one stage. DJL refuses 18 and 50 layers for inputs of 28
 *       pixels or less, so images smaller than 32x32 are centred on a black 32x32 canvas (see
 *       {@link Inputs}); for inputs of at most 32 pixels DJL builds its CIFAR-style variant (3x3
 *       stem, no max-pool, bottleneck units).
 * </ul>
 *
 * <p>A stage whose parameters are all frozen runs in inference mode (see {@link Backbone}).
 */
public final class Network {
  /** The architectures {@link #build} knows. */
  public static final List<String> ARCHITECTURES = List.of("cnn", "resnet18", "resnet50");
  /** Images per forward pass in {@link #predict}; fixed so that results do not depend on it. */
  public static final int EVAL_BATCH = 256;

  private final String architecture;
  private final ImageShape imageShape;
  private final ImageShape inputShape;
  private final int numClasses;
  private final SequentialBlock block;
  private final Backbone backbone;
  private final Set<Parameter> trainable;

  private Network(String architecture, ImageShape imageShape, ImageShape inputShape,
      int numClasses, Backbone backbone, SequentialBlock head) {
    this.architecture = architecture;
    this.imageShape = imageShape;
    this.inputShape = inputShape;
    this.numClasses = numClasses;
    this.backbone = backbone;
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
   * Builds an uninitialised network.
   *
   * @throws IllegalArgumentException for an unknown architecture or fewer than two classes
   */
  public static Network build(String architecture, ImageShape shape, int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be >= 2: " + numClasses);
    }
    ImageShape input = inputShape(architecture, shape);
    SequentialBlock head = new SequentialBlock()
        .add(Dropout.builder().optRate(0.2f).build())
        .add(Linear.builder().setUnits(numClasses).build());
    Backbone backbone = new Backbone();
    switch (architecture) {
      case "cnn":
        backbone.add(new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .setFilters(32).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2))))
            .add(new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .setFilters(64).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2))))
            .add(new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock()));
        break;
      case "resnet18":
      case "resnet50":
        Block resnet = ResNetV1.builder()
            .setImageShape(new Shape(input.channels(), input.height(), input.width()))
            .setNumLayers("resnet18".equals(architecture) ? 18 : 50)
            .setOutSize(numClasses)
            .build();
        List<Block> layers = new ArrayList<>(resnet.getChildren().values());
        // DJL ends with [..., global avg pool, flatten, Linear(outSize), flatten]: drop the last two.
        for (Block layer : layers.subList(0, layers.size() - 2)) {
          backbone.add(layer);
        }
        break;
      default:
        throw new IllegalArgumentException(
            "architecture must be one of " + String.join("|", ARCHITECTURES) + ": " + architecture);
    }
    return new Network(architecture, shape, input, numClasses, backbone, head);
  }

  /** The shape the network takes for images of {@code shape}: padded to 32x32 for ResNets. */
  public static ImageShape inputShape(String architecture, ImageShape shape) {
    if (architecture.startsWith("resnet") && (shape.height() < 32 || shape.width() < 32)) {
      return new ImageShape(shape.channels(), Math.max(32, shape.height()),
          Math.max(32, shape.width()));
    }
    return shape;
  }

  public String architecture() {
    return architecture;
  }

  /** The image shape the network was built for (before padding). */
  public ImageShape imageShape() {
    return imageShape;
  }

  /** The tensor shape of one input image (after padding). */
  public ImageShape inputShape() {
    return inputShape;
  }

  public int numClasses() {
    return numClasses;
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
   * Sets which parameters train in epoch {@code epoch} under a freeze strategy: {@code none}
   * trains everything; {@code backbone} trains the head only; {@code gradual} trains the head
   * only in epoch 1, the head and the last backbone stage in epoch 2, and everything from epoch
   * 3. Call it after {@code Model.newTrainer} (which may unfreeze everything) and after loading
   * weights. Batch-norm running statistics never take gradients and are left alone.
   */
  public void applyFreeze(String strategy, int epoch) {
    for (Parameter p : trainable) {
      p.freeze(false);
    }
    switch (strategy) {
      case "none":
        return;
      case "backbone":
        freezeBackbone();
        return;
      case "gradual":
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
        throw new IllegalArgumentException("freeze must be one of none|backbone|gradual: "
            + strategy);
    }
  }

  private void freezeBackbone() {
    for (Parameter p : backbone.getParameters().values()) {
      if (trainable.contains(p)) {
        p.freeze(true);
      }
    }
  }

  /** Copies every parameter's values to plain arrays, by name. */
  public Map<String, Checkpoint.Tensor> snapshot() {
    Map<String, Checkpoint.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : parameters().entrySet()) {
      NDArray a = e.getValue().getArray();
      out.put(e.getKey(), new Checkpoint.Tensor(a.getShape().getShape(), a.toFloatArray()));
    }
    return out;
  }

  /**
   * Overwrites the initialised parameters with saved values, all of them or the backbone's only.
   *
   * @throws IllegalArgumentException when a needed parameter is missing or has another shape,
   *     or (for a full load) the saved values name parameters this network lacks
   */
  public void load(Map<String, Checkpoint.Tensor> saved, boolean backboneOnly) {
    Map<String, Parameter> params = parameters();
    Set<String> wanted = backboneOnly ? backboneParameterNames() : params.keySet();
    if (!backboneOnly) {
      for (String name : saved.keySet()) {
        if (!params.containsKey(name)) {
          throw new IllegalArgumentException("checkpoint has parameter " + name
              + " that the " + architecture + " network lacks");
        }
      }
    }
    for (String name : wanted) {
      Checkpoint.Tensor t = saved.get(name);
      if (t == null) {
        throw new IllegalArgumentException("checkpoint lacks parameter " + name + " of the "
            + architecture + " network");
      }
      NDArray array = params.get(name).getArray();
      if (!array.getShape().equals(new Shape(t.shape()))) {
        throw new IllegalArgumentException("parameter " + name + " has shape " + array.getShape()
            + " but the checkpoint holds " + new Shape(t.shape()));
      }
      array.set(t.values());
    }
  }

  /**
   * Runs the network in inference mode (no dropout, batch-norm running statistics) over a whole
   * split in fixed batches of {@link #EVAL_BATCH}, without augmentation.
   */
  public Predictions predict(NDManager manager, LabeledImages split) {
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
        NDArray x = Inputs.images(batch, split, null, from, to, inputShape, null, 0, 0);
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
            throw new IllegalArgumentException("label " + label + " of image " + i
                + " is outside 0.." + (numClasses - 1));
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
    return new Predictions(n == 0 ? Double.NaN : lossSum / n, n == 0 ? Double.NaN
        : (double) correct / n, predicted, confidence, exampleLoss, probabilities);
  }
}
