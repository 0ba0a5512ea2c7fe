package io.tunelab.diagnosis;

import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;

/**
 * What the evidence calls a run's samples: images, a table's rows, or clips (stacks of a video's
 * frames); the plural is the kind's own ({@link SampleKind#plural}), as the run summary says it.
 */
enum Samples {
  IMAGES(SampleKind.IMAGE, "image"),
  ROWS(SampleKind.TABLE, "row"),
  CLIPS(SampleKind.CLIP, "clip");

  private final SampleKind kind;

  /** One sample, as in "per-image". */
  final String one;

  /** Several samples, as in "300 training images". */
  final String many;

  Samples(SampleKind kind, String one) {
    this.kind = kind;
    this.one = one;
    this.many = kind.plural();
  }

  /** The wording for samples of this shape; images when the shape is unknown. */
  static Samples of(SampleShape shape) {
    for (Samples s : values()) {
      if (shape != null && s.kind == shape.kind()) {
        return s;
      }
    }
    return IMAGES;
  }
}
