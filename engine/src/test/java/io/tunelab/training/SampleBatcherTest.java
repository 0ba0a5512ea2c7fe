package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tunelab.dataset.DataKind;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The training's side of the seam for kinds of data, with images. */
class SampleBatcherTest {
  @Test
  void imagesAreBatchedByTheImageBatcher() {
    assertSame(ImageBatcher.INSTANCE, SampleBatcher.of(SampleKind.IMAGE));
    assertSame(ClipBatcher.INSTANCE, SampleBatcher.of(SampleKind.CLIP));
  }

  @Test
  void theImageKindNamesTheNetworksThatTakeImages() {
    assertEquals(Network.ARCHITECTURES, DataKind.of(SampleKind.IMAGE).architectures());
  }

  @Test
  @Tag("integration") // loads libtorch
  void aBatchIsNormalisedAndCentredOnALargerInput() {
    SampleShape shape = SampleShape.image(1, 8, 8);
    byte[] pixels = new byte[2 * 64];
    pixels[0] = (byte) 255;
    pixels[64 + 63] = (byte) 255;
    LabeledImages split = new LabeledImages(shape, pixels, new int[] {0, 1});
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x =
          Inputs.images(
              manager,
              new SampleBatch(
                  split,
                  new int[] {1, 0},
                  0,
                  2,
                  SampleShape.image(1, 10, 10),
                  Inputs.Normalization.HALF,
                  null,
                  0,
                  0));
      assertArrayEquals(new long[] {2, 1, 10, 10}, x.getShape().getShape());
      float[] v = x.toFloatArray();
      assertEquals(-1f, v[0]); // the canvas
      assertEquals(1f, v[8 * 10 + 8]); // image 1's last pixel, at (8, 8) of its canvas
      assertEquals(-1f, v[11]); // image 1's first pixel, black
      assertEquals(1f, v[100 + 11]); // image 0's first pixel, at (1, 1)
    }
  }
}
