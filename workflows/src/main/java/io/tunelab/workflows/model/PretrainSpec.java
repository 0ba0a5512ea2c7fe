package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A request to train a source model on a dataset and register it under a name.
 *
 * @param runId the run's id, also its workflow id
 * @param source a local folder or an {@code s3://bucket/prefix}
 * @param classes class names to keep; empty keeps all
 * @param perClass cap on training images per class; 0 keeps all
 * @param name registry name
 * @param architecture {@code cnn}, {@code resnet18}, {@code resnet50}, or {@code mlp} for a table
 * @param imageSize side of the square input images
 * @param params training hyper-parameters
 * @param columns a table's class column and dropped columns; {@code null} (also what histories
 *     written before tables read as) for the defaults
 * @param clips how videos are cut into stacks ({@code --clip-frames}, {@code --clip-stride}, {@code
 *     --frame-size}); {@code null} (also what histories written before clips read as) for the
 *     defaults
 */
public record PretrainSpec(
    String runId,
    String source,
    List<String> classes,
    int perClass,
    String name,
    String architecture,
    int imageSize,
    TrainingParams params,
    @JsonInclude(JsonInclude.Include.NON_NULL) TableColumns columns,
    @JsonInclude(JsonInclude.Include.NON_NULL) ClipStacks clips) {

  public PretrainSpec {
    RunIds.requireValid(runId);
    DataSelection.requireSource(source);
    classes = DataSelection.classes(classes);
    DataSelection.requirePerClass(perClass);
    ModelNames.requireValid(name);
    Choices.requireOneOf("model", architecture, "cnn", "resnet18", "resnet50", "mlp", "c3d");
    if (imageSize < 8 || imageSize > 512) {
      throw new IllegalArgumentException("image size must be in [8, 512]: " + imageSize);
    }
    if (params == null) {
      throw new IllegalArgumentException("params must not be null");
    }
  }
}
