package io.tunelab.dataset;

/**
 * What became of one candidate file in the decode pool: the decoded image, or the reason it was
 * rejected. Exactly one of the two is set.
 */
record DecodeResult(DecodedImage image, String rejection) {
  DecodeResult {
    if ((image == null) == (rejection == null)) {
      throw new IllegalArgumentException("exactly one of image and rejection must be set");
    }
  }

  static DecodeResult decoded(DecodedImage image) {
    return new DecodeResult(image, null);
  }

  static DecodeResult rejected(String reason) {
    return new DecodeResult(null, reason);
  }
}
