package io.tunelab.registry;

import io.tunelab.dataset.DataKind;
import io.tunelab.dataset.DatasetProfile;
import io.tunelab.dataset.SourceStats;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.table.FeatureScaler;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.ModelNames;
import io.tunelab.workflows.model.RegisterRequest;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.util.List;
import java.util.Optional;

/**
 * Named, versioned models in the bucket: {@code models/<name>/v<k>/checkpoint.bin} and {@code
 * meta.json}, with {@code models/<name>/latest.json} written last so that a half-done registration
 * is never visible. Imported TorchScript models have no checkpoint copy: their parameters key is
 * the content-addressed archive ({@link Keys#torchScriptArchive}).
 */
public final class ModelRegistry {
  private final ObjectStore store;

  public ModelRegistry(ObjectStore store) {
    this.store = store;
  }

  /** What to say of a model name the registry does not hold, and how to register one. */
  public static String unknown(String name) {
    return "no model named '"
        + name
        + "' in the registry; register one with: tunelab pretrain"
        + " --data SRC --name "
        + name;
  }

  /**
   * The latest version of a model, if registered; a table model registered before its record kept
   * the feature columns gets them from the scaler registered with it.
   */
  public Optional<ModelInfo> latest(String name) {
    ModelNames.requireValid(name);
    ModelInfo info;
    try {
      info = Json.read(store.get(Keys.modelLatest(name)), ModelInfo.class);
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
    if (info.shape().kind() != SampleKind.TABLE || !info.features().isEmpty()) {
      return Optional.of(info);
    }
    try {
      byte[] scaler = store.get(Keys.modelScaler(info.name(), info.version()));
      return Optional.of(
          new ModelInfo(
              info.name(),
              info.version(),
              info.architecture(),
              info.shape(),
              info.classes(),
              info.parametersKey(),
              info.sourceIngestId(),
              info.testAccuracy(),
              info.sourceRunId(),
              Json.read(scaler, FeatureScaler.class).featureNames()));
    } catch (ObjectNotFoundException e) {
      return Optional.of(info);
    }
  }

  /** Pixel statistics of a model version's source training data, when recorded. */
  public Optional<SourceStats> sourceStats(ModelInfo model) {
    try {
      return Optional.of(
          Json.read(store.get(Keys.sourceStats(model.name(), model.version())), SourceStats.class));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  private Optional<SourceStats> sourceStats(String ingestId) {
    if (ingestId == null) {
      return Optional.empty();
    }
    try {
      DatasetProfile profile = DatasetProfile.fromJson(store.get(Keys.profile(ingestId)));
      return DataKind.of(profile).sourceStats(profile);
    } catch (ObjectNotFoundException | java.io.IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Registers an imported TorchScript archive as a model of architecture {@code torchscript} taking
   * {@code shape} images, with no known classes, source data or accuracy. The archive stays where
   * it is (its key is content-addressed and never rewritten) and becomes the model's parameters
   * key. Registering the same archive and shape again returns the latest version unchanged;
   * anything else becomes the next version.
   *
   * @param name registry name
   * @param shape the shape of the images the module is fed
   * @param archiveKey key of the uploaded archive
   * @return the model's record
   */
  public ModelInfo registerTorchScript(String name, SampleShape shape, String archiveKey) {
    Optional<ModelInfo> latest = latest(name);
    if (latest.isPresent()
        && ArmSpec.TORCHSCRIPT.equals(latest.get().architecture())
        && latest.get().shape().equals(shape)
        && latest.get().parametersKey().equals(archiveKey)) {
      return latest.get();
    }
    int version = latest.map(m -> m.version() + 1).orElse(1);
    ModelInfo info =
        new ModelInfo(
            name,
            version,
            ArmSpec.TORCHSCRIPT,
            shape,
            List.of(),
            archiveKey,
            null,
            0.0,
            null,
            List.of());
    byte[] meta = Json.bytes(info);
    store.put(Keys.modelMeta(name, version), meta, "application/json");
    store.put(Keys.modelLatest(name), meta, "application/json");
    return info;
  }

  /** Registers a checkpoint as the next version of a model and returns its record. */
  public ModelInfo register(RegisterRequest request) {
    int version = latest(request.name()).map(m -> m.version() + 1).orElse(1);
    String parametersKey = Keys.modelParameters(request.name(), version);
    store.put(parametersKey, store.get(request.checkpointKey()));
    // A table model keeps its ingest's scaler, and with it the names of the feature columns it
    // takes: a fine-tune's table must have the same ones.
    byte[] scaler =
        request.shape().kind() == SampleKind.TABLE && request.sourceIngestId() != null
            ? store.get(Keys.scaler(request.sourceIngestId()))
            : null;
    ModelInfo info =
        new ModelInfo(
            request.name(),
            version,
            request.architecture(),
            request.shape(),
            request.classes(),
            parametersKey,
            request.sourceIngestId(),
            request.testAccuracy(),
            request.sourceRunId(),
            scaler == null ? List.of() : Json.read(scaler, FeatureScaler.class).featureNames());
    if (scaler != null) {
      store.put(Keys.modelScaler(request.name(), version), scaler, "application/json");
    }
    sourceStats(request.sourceIngestId())
        .ifPresent(
            stats ->
                store.put(
                    Keys.sourceStats(request.name(), version),
                    Json.bytes(stats),
                    "application/json"));
    byte[] meta = Json.bytes(info);
    store.put(Keys.modelMeta(request.name(), version), meta, "application/json");
    store.put(Keys.modelLatest(request.name()), meta, "application/json");
    return info;
  }
}
