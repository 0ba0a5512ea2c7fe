package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;

/**
 * The training's part of the seam for kinds of data ({@link io.tunelab.dataset.DataKind}): turns a
 * batch of a split's samples into the network's input tensor, augmenting training samples. It lives
 * here because it needs the network's {@link Inputs.Normalization}; it is chosen by the same {@link
 * SampleKind}. {@link ImageBatcher} is the one implemented so far.
 */
interface SampleBatcher {
  /**
   * Builds the input tensor for the samples {@code order[from..to)} of a split ({@code order} may
   * be {@code null} for the split's own order).
   *
   * @param input the network's input shape (may be larger than the split's)
   * @param augmenter applied to each sample with a {@link java.util.Random} seeded from (seed,
   *     epoch, sample index), or {@code null} for none
   */
  NDArray inputs(
      NDManager manager,
      LabeledImages split,
      int[] order,
      int from,
      int to,
      SampleShape input,
      Inputs.Normalization normalization,
      Augmenter augmenter,
      long seed,
      int epoch);

  /**
   * The batcher of a kind of data.
   *
   * @throws UnsupportedOperationException for a kind tunelab does not train on yet
   */
  static SampleBatcher of(SampleKind kind) {
    if (kind == SampleKind.IMAGE) {
      return ImageBatcher.INSTANCE;
    }
    throw new UnsupportedOperationException(kind + " data is not supported yet");
  }
}
