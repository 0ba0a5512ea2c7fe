package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A model version in the registry.
 *
 * @param name registry name
 * @param version version number, from 1
 * @param architecture {@code cnn}, {@code resnet18}, {@code resnet50}, or {@code torchscript} for a
 *     TorchScript module imported with {@code run --pretrained FILE.pt}
 * @param shape input shape (for {@code torchscript}: 3 x S x S, S chosen at import)
 * @param classes the classes of its head, in label order; empty when unknown (TorchScript)
 * @param parametersKey key of its parameter object: a tunelab checkpoint, or for {@code
 *     torchscript} the TorchScript archive itself
 * @param sourceIngestId ingest id of the data it learned from, or {@code null} when unknown
 * @param testAccuracy accuracy on its source test split (0 when unknown)
 * @param sourceRunId run that produced it, or {@code null} when it was imported
 * @param features a table model's feature columns in input order, as the ingest encodes them
 *     ({@code col}, {@code col=value} one-hot); empty for images and for table models registered
 *     before the names were kept (absent from the JSON then)
 */
public record ModelInfo(
    String name,
    int version,
    String architecture,
    SampleShape shape,
    List<String> classes,
    String parametersKey,
    String sourceIngestId,
    double testAccuracy,
    String sourceRunId,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> features) {
  public ModelInfo {
    ModelNames.requireValid(name);
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1: " + version);
    }
    classes = List.copyOf(classes);
    features = features == null ? List.of() : List.copyOf(features);
  }
}
