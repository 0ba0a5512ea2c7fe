package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tunelab.dataset.LabeledImages;

/**
 * Turns a table's rows into the network's float32 input tensor of shape (N, F). The rows are
 * already standardised with the training split's scaler when the split is read ({@link
 * TrainingSplits}), so a batch is a copy of its rows in the batch's order. Tables are never
 * augmented: the batch's augmenter and normalisation are ignored.
 */
final class TableBatcher implements SampleBatcher {
  static final TableBatcher INSTANCE = new TableBatcher();

  private TableBatcher() {}

  @Override
  public NDArray inputs(NDManager manager, SampleBatch batch) {
    LabeledImages split = batch.split();
    int f = split.shape().features();
    float[] values = split.values();
    int[] order = batch.order();
    int n = batch.to() - batch.from();
    float[] data = new float[n * f];
    for (int k = 0; k < n; k++) {
      int index = order == null ? batch.from() + k : order[batch.from() + k];
      System.arraycopy(values, index * f, data, k * f, f);
    }
    return manager.create(data, new Shape(n, f));
  }
}
