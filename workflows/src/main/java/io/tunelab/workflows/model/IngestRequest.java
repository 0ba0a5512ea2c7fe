package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What to ingest and how: the source, the class selection, the split seed and the shape the images
 * are resized to; for a table, its class column and the columns to drop.
 *
 * @param source a local folder or an {@code s3://bucket/prefix}
 * @param classes class names to keep; empty keeps all
 * @param perClass cap on training images per class; 0 keeps all
 * @param seed split seed
 * @param shape the shape samples are converted to (for images: resized to its height and width)
 * @param detectChannels when true, images are stored grey (1 channel) if every image is grey and
 *     colour (3 channels) otherwise, whatever {@code shape.channels()} says; used when a new model
 *     is built for the data rather than the data fitted to a model
 * @param augment the run's augmentation policy ({@code none}, {@code light}, {@code standard},
 *     {@code strong}), for the preview of augmented training images; {@code null} means {@code
 *     none}
 * @param label a table's class column ({@code --label}), or {@code null} for the default (a column
 *     named label, target or class, else the last)
 * @param ignoreColumns a table's columns to drop ({@code --ignore-columns}); {@code null} or empty
 *     drops none
 * @param clips how videos are cut into stacks ({@code --clip-frames}, {@code --clip-stride}, {@code
 *     --frame-size}); {@code null} (also what histories from before clips hold): the defaults
 * @param features the feature columns of the pretrained table model the data is for, in input order
 *     and encoded as the ingest encodes them; a table whose columns differ is refused. Empty (and
 *     absent from the JSON): not checked
 */
public record IngestRequest(
    String source,
    List<String> classes,
    int perClass,
    long seed,
    SampleShape shape,
    boolean detectChannels,
    Augment augment,
    @JsonInclude(JsonInclude.Include.NON_NULL) String label,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> ignoreColumns,
    @JsonInclude(JsonInclude.Include.NON_NULL) ClipStacks clips,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> features) {
  public IngestRequest {
    DataSelection.requireSource(source);
    classes = DataSelection.classes(classes);
    DataSelection.requirePerClass(perClass);
    if (shape == null) {
      throw new IllegalArgumentException("shape must not be null");
    }
    augment = augment == null ? Augment.NONE : augment;
    label = label == null || label.isBlank() ? null : label;
    ignoreColumns = ignoreColumns == null ? List.of() : List.copyOf(ignoreColumns);
    features = features == null ? List.of() : List.copyOf(features);
  }

  /** A request without augmentation. */
  public IngestRequest(
      String source,
      List<String> classes,
      int perClass,
      long seed,
      SampleShape shape,
      boolean detectChannels) {
    this(
        source,
        classes,
        perClass,
        seed,
        shape,
        detectChannels,
        Augment.NONE,
        null,
        null,
        null,
        null);
  }
}
