package io.tunelab.workflows.model;

/**
 * One training arm of a run.
 *
 * @param runId the run
 * @param arm {@code finetune}, {@code scratch} or {@code pretrain}
 * @param architecture network to build
 * @param params hyper-parameters
 * @param initParametersKey key of the pretrained parameters to start from, or {@code null} to
 *     start from random weights
 * @param initClasses number of classes of the pretrained head (0 when starting from scratch)
 */
public record ArmSpec(
    String runId,
    String arm,
    String architecture,
    TrainingParams params,
    String initParametersKey,
    int initClasses) {
  public ArmSpec {
    RunIds.requireValid(runId);
    TrainingParams.requireOneOf("arm", arm, "finetune", "scratch", "pretrain");
    TrainingParams.requireOneOf("model", architecture, "cnn", "resnet18", "resnet50");
    if (params == null) {
      throw new IllegalArgumentException("params must not be null");
    }
  }

  /** Whether this arm starts from pretrained weights. */
  public boolean pretrained() {
    return initParametersKey != null;
  }
}
