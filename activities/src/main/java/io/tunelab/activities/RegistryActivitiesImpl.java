package io.tunelab.activities;

import io.tunelab.registry.ModelRegistry;
import io.tunelab.workflows.activities.RegistryActivities;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.RegisterRequest;

/** Activity adapter over {@link ModelRegistry}. */
public final class RegistryActivitiesImpl implements RegistryActivities {
  private final ModelRegistry registry;

  public RegistryActivitiesImpl(ModelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public ModelInfo describe(String name) {
    return registry.latest(name).orElseThrow(() -> BadInput.failure(ModelRegistry.unknown(name)));
  }

  @Override
  public ModelInfo register(RegisterRequest request) {
    return registry.register(request);
  }
}
