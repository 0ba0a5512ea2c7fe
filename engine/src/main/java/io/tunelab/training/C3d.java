package io.tunelab.training;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;

/**
 * The {@code c3d} model of video clips: C3D's layout (Tran et al. 2015) — five blocks of 3×3×3
 * convolutions (one, one, two, two, two) each followed by max-pooling (the first over space only,
 * the others over time and space), two dense layers, the output layer — with its widths divided by
 * {@value #WIDTH_DIVISOR} (64…512 filters become 8…64, the 4096-unit dense layers {@value #DENSE})
 * so that it trains on a CPU, and a batch norm after every convolution, which lets it train from
 * scratch in a few epochs. The five blocks and the two dense layers are the backbone's stages (what
 * a fine-tune keeps and {@code --freeze} freezes, as C3D's fc6/fc7 features transfer); the head is
 * dropout and the output layer. A pooling whose input is down to one frame or pixel keeps it, so
 * clips of 8 frames or 16×16 pixels fit too.
 */
final class C3d {
  /** The architecture's name, as {@code --model} takes it. */
  static final String NAME = "c3d";

  static final int WIDTH_DIVISOR = 8;
  static final int DENSE = 256;

  /** C3D's filters per convolution of each block. */
  private static final int[][] BLOCKS = {{64}, {128}, {256, 256}, {512, 512}, {512, 512}};

  private C3d() {}

  /** The uninitialised parts for clips of {@code shape} (channels, frames, height, width). */
  static Architectures.Parts parts(SampleShape shape, int numClasses, double headDropout) {
    if (shape.kind() != SampleKind.CLIP) {
      throw new IllegalArgumentException("the c3d model takes video clips, not " + shape);
    }
    Backbone backbone = new Backbone();
    long frames = shape.frames();
    long height = shape.height();
    long width = shape.width();
    for (int b = 0; b < BLOCKS.length; b++) {
      SequentialBlock block = new SequentialBlock();
      for (int filters : BLOCKS[b]) {
        block
            .add(
                Conv3d.builder()
                    .setKernelShape(new Shape(3, 3, 3))
                    .optPadding(new Shape(1, 1, 1))
                    .setFilters(filters / WIDTH_DIVISOR)
                    .build())
            .add(BatchNorm.builder().build())
            .add(Activation.reluBlock());
      }
      // C3D's pool1 keeps the frames (1x2x2); the others halve time and space, down to 1.
      long pt = b == 0 || frames < 2 ? 1 : 2;
      long ph = height < 2 ? 1 : 2;
      long pw = width < 2 ? 1 : 2;
      block.add(Pool.maxPool3dBlock(new Shape(pt, ph, pw), new Shape(pt, ph, pw)));
      frames /= pt;
      height /= ph;
      width /= pw;
      backbone.add(block);
    }
    for (int fc = 0; fc < 2; fc++) {
      SequentialBlock dense = new SequentialBlock();
      if (fc == 0) {
        dense.add(Blocks.batchFlattenBlock());
      }
      dense.add(Linear.builder().setUnits(DENSE).build()).add(Activation.reluBlock());
      backbone.add(dense);
    }
    SequentialBlock head =
        new SequentialBlock()
            .add(Dropout.builder().optRate((float) headDropout).build())
            .add(Linear.builder().setUnits(numClasses).build());
    return new Architectures.Parts(backbone, head);
  }
}
