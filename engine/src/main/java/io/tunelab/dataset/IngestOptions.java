package io.tunelab.dataset;

import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.SampleShape;
import java.util.List;
import java.util.Objects;

/**
 * How to ingest a source: which classes to keep, the cap on training images per class, the split
 * seed, and the shape images are converted to.
 *
 * @param classes class folder names to keep; empty keeps every class
 * @param perClass cap on training images per class; 0 keeps all
 * @param seed seed of the stratified split, of the test split carved out of train, and of the
 *     choice of capped training images
 * @param shape the shape images are resized and converted to
 * @param detectChannels when true, images are stored with 1 channel if every accepted image is grey
 *     and 3 otherwise, whatever {@code shape.channels()} says
 */
public record IngestOptions(
    List<String> classes, int perClass, long seed, SampleShape shape, boolean detectChannels) {

  /** Validates the options and copies the class list. */
  public IngestOptions {
    classes = classes == null ? List.of() : List.copyOf(classes);
    if (perClass < 0) {
      throw new IllegalArgumentException("per-class must be >= 0: " + perClass);
    }
    Objects.requireNonNull(shape, "shape");
  }

  /** The same options selecting these classes. */
  public IngestOptions withClasses(List<String> selected) {
    return new IngestOptions(selected, perClass, seed, shape, detectChannels);
  }

  /** Takes the options of a workflow's ingest request. */
  public static IngestOptions from(IngestRequest request) {
    return new IngestOptions(
        request.classes(),
        request.perClass(),
        request.seed(),
        request.shape(),
        request.detectChannels());
  }

  /** Every class, no cap, the given seed and shape, channels as the shape says. */
  public static IngestOptions of(SampleShape shape, long seed) {
    return new IngestOptions(List.of(), 0, seed, shape, false);
  }
}
