package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tunelab.workflows.model.SampleKind;

/**
 * The training's part of the seam for kinds of data ({@link io.tunelab.dataset.DataKind}): turns a
 * batch of a split's samples into the network's input tensor, augmenting training samples. It lives
 * here because it needs the network's {@link Inputs.Normalization}; it is chosen by the same {@link
 * SampleKind}: {@link ImageBatcher} for images, {@link TableBatcher} for a table's rows, {@link
 * ClipBatcher} for stacks of frames.
 */
interface SampleBatcher {
  /** Builds the input tensor for a batch of a split's samples. */
  NDArray inputs(NDManager manager, SampleBatch batch);

  /**
   * The batcher of a kind of data.
   *
   * @throws UnsupportedOperationException for a kind tunelab does not train on yet
   */
  static SampleBatcher of(SampleKind kind) {
    if (kind == SampleKind.IMAGE) {
      return ImageBatcher.INSTANCE;
    }
    if (kind == SampleKind.TABLE) {
      return TableBatcher.INSTANCE;
    }
    if (kind == SampleKind.CLIP) {
      return ClipBatcher.INSTANCE;
    }
    throw new UnsupportedOperationException(kind + " data is not supported yet");
  }
}
