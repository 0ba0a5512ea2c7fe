package io.tunelab.registry;

import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.ModelNames;
import io.tunelab.workflows.model.RegisterRequest;
import java.util.Optional;

/**
 * Named, versioned models in the bucket: {@code models/<name>/v<k>/checkpoint.bin} and
 * {@code meta.json}, with {@code models/<name>/latest.json} written last so that a half-done
 * registration is never visible.
 */
public final class ModelRegistry {
  private final ObjectStore store;

  public ModelRegistry(ObjectStore store) {
    this.store = store;
  }

  /** The latest version of a model, if registered. */
  public Optional<ModelInfo> latest(String name) {
    ModelNames.requireValid(name);
    try {
      return Optional.of(Json.read(store.get(Keys.modelLatest(name)), ModelInfo.class));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Registers a checkpoint as the next version of a model and returns its record. */
  public ModelInfo register(RegisterRequest request) {
    int version = latest(request.name()).map(m -> m.version() + 1).orElse(1);
    String parametersKey = Keys.modelParameters(request.name(), version);
    store.put(parametersKey, store.get(request.checkpointKey()));
    ModelInfo info = new ModelInfo(request.name(), version, request.architecture(), request.shape(),
        request.classes(), parametersKey, request.sourceIngestId(), request.testAccuracy(),
        request.sourceRunId());
    byte[] meta = Json.bytes(info);
    store.put(Keys.modelMeta(request.name(), version), meta, "application/json");
    store.put(Keys.modelLatest(request.name()), meta, "application/json");
    return info;
  }
}
