package io.tunelab.workflows.model;

import java.util.List;

/**
 * A model version in the registry.
 *
 * @param name registry name
 * @param version version number, from 1
 * @param architecture {@code cnn}, {@code resnet18} or {@code resnet50}
 * @param shape input shape
 * @param classes the classes of its head, in label order
 * @param parametersKey key of its parameter object
 * @param sourceIngestId ingest id of the data it learned from
 * @param testAccuracy accuracy on its source test split
 * @param sourceRunId run that produced it
 */
public record ModelInfo(
    String name,
    int version,
    String architecture,
    ImageShape shape,
    List<String> classes,
    String parametersKey,
    String sourceIngestId,
    double testAccuracy,
    String sourceRunId) {
  public ModelInfo {
    ModelNames.requireValid(name);
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1: " + version);
    }
    classes = List.copyOf(classes);
  }
}
