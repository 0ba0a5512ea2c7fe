package io.tunelab.diagnosis;

import io.tunelab.workflows.model.SampleShape;

/**
 * What the evidence calls a run's samples: images, a table's rows, or clips (stacks of a video's
 * frames).
 */
enum Samples {
  IMAGES("image", "images"),
  ROWS("row", "rows"),
  CLIPS("clip", "clips");

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
    if (shape == null) {
      return IMAGES;
    }
    return switch (shape.kind()) {
      case TABLE -> ROWS;
      case CLIP -> CLIPS;
      case IMAGE -> IMAGES;
    };
  }
}
