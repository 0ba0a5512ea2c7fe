package io.tunelab.dataset;

import io.tunelab.dataset.SourceLayout.Placement;

/**
 * One image that an ingest decoded and kept: where it was found, what it decoded to, and its label.
 */
record AcceptedImage(Placement placement, DecodedImage image, int label) {
  String path() {
    return placement.file().path();
  }

  String sha256() {
    return image.sha256();
  }

  String className() {
    return placement.className();
  }
}
