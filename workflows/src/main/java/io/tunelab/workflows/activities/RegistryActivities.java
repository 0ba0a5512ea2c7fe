package io.tunelab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.RegisterRequest;

/** The model registry in the bucket. */
@ActivityInterface
public interface RegistryActivities {
  /** The latest version of a registered model; fails with {@code BadInput} when unknown. */
  @ActivityMethod
  ModelInfo describe(String name);

  /** Registers a checkpoint as the next version of a model. */
  @ActivityMethod
  ModelInfo register(RegisterRequest request);
}
