package io.tunelab.workflows.model;

import java.util.List;

/**
 * Register a trained checkpoint in the model registry.
 *
 * @param name registry name
 * @param architecture network architecture
 * @param shape input shape
 * @param classes head classes in label order
 * @param checkpointKey checkpoint manifest to register
 * @param sourceIngestId ingest the model learned from
 * @param testAccuracy accuracy on the source test split
 * @param sourceRunId run that produced it
 */
public record RegisterRequest(
    String name,
    String architecture,
    SampleShape shape,
    List<String> classes,
    String checkpointKey,
    String sourceIngestId,
    double testAccuracy,
    String sourceRunId) {
  public RegisterRequest {
    ModelNames.requireValid(name);
    if (checkpointKey == null) {
      throw new IllegalArgumentException("checkpoint key must not be null");
    }
    classes = List.copyOf(classes);
  }
}
