package io.tunelab.training;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtSymbolBlock;
import io.tunelab.workflows.model.SampleShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the backbone and head of each architecture a {@link Network} can have.
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
 *       by {@link Network#fromTorchScript} from the archive's bytes; whatever the module returns
 *       per image (1000 ImageNet logits, or features) is flattened and fed to the new head. Its
 *       inputs use {@link Inputs.Normalization#IMAGENET}, the others' {@link
 *       Inputs.Normalization#HALF}. The module's parameters are DJL parameters named by their
 *       TorchScript names; its buffers (batch-norm running statistics) are reachable only through
 *       the archive ({@link Network#moduleArchive}).
 * </ul>
 */
final class Architectures {
  /** The architecture whose backbone is a TorchScript module. */
  static final String TORCHSCRIPT = "torchscript";

  /** The architectures known here ({@code torchscript} only through {@link #torchScript}). */
  static final List<String> ALL = List.of("cnn", "resnet18", "resnet50", TORCHSCRIPT);

  /** A network's two parts. */
  record Parts(Backbone backbone, SequentialBlock head) {}

  private Architectures() {}

  /** The shape the network takes for images of {@code shape}: padded to 32x32 for ResNets. */
  static SampleShape inputShape(String architecture, SampleShape shape) {
    if (architecture.startsWith("resnet") && (shape.height() < 32 || shape.width() < 32)) {
      return SampleShape.image(
          shape.channels(), Math.max(32, shape.height()), Math.max(32, shape.width()));
    }
    return shape;
  }

  /**
   * The uninitialised parts of a built-in architecture.
   *
   * @param input the input shape, after {@link #inputShape}
   * @throws IllegalArgumentException for an unknown architecture or {@code torchscript}
   */
  static Parts builtIn(String architecture, SampleShape input, int numClasses, double headDropout) {
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
        backbone.add(convStage(32)).add(convStage(64));
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
            "architecture must be one of " + String.join("|", ALL) + ": " + architecture);
    }
    return new Parts(backbone, head);
  }

  /**
   * The parts of a {@code torchscript} network: the module as the backbone's only stage, and a new
   * uninitialised head {@code flatten -> Dropout(0.2) -> Linear(numClasses)}.
   */
  static Parts torchScript(PtSymbolBlock module, int numClasses) {
    Backbone backbone = new Backbone();
    backbone.add(module);
    SequentialBlock head =
        new SequentialBlock()
            .add(new LambdaBlock(Architectures::flattenCopy, "flattenCopy"))
            .add(Dropout.builder().optRate(0.2f).build())
            .add(Linear.builder().setUnits(numClasses).build());
    return new Parts(backbone, head);
  }

  /** One stage of {@code cnn}: conv 3x3 pad 1, batch norm, relu, max-pool 2. */
  private static SequentialBlock convStage(int filters) {
    return new SequentialBlock()
        .add(
            Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build())
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
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
}
