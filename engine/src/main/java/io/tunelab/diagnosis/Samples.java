package io.tunelab.diagnosis;

import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;

/**
 * What the evidence calls a run's samples: images, or a table's rows. Video clips keep the image
 * wording, as their stacks are frames of images.
 */
enum Samples {
  IMAGES("image", "images"),
  ROWS("row", "rows");

  /** One sample, as in "per-image". */
  final String one;

  /** Several samples, as in "300 training images". */
  final String many;

  Samples(String one, String many) {
    this.one = one;
    this.many = many;
  }

  /** The wording for samples of this shape; images when the shape is unknown. */
  static Samples of(SampleShape shape) {
    return shape != null && shape.kind() == SampleKind.TABLE ? ROWS : IMAGES;
  }
}
