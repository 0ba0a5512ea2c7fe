package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One training arm of a run.
 *
 * @param runId the run
 * @param arm which arm
 * @param architecture network to build: {@code cnn}, {@code resnet18}, {@code resnet50}, or {@code
 *     torchscript} (a TorchScript module followed by a new head; see {@code moduleKey}) for images,
 *     {@code mlp} for a table
 * @param params hyper-parameters
 * @param initParametersKey key of the pretrained parameters to start from, or {@code null} to start
 *     from random weights; for {@code torchscript}, the key of the TorchScript archive whose
 *     weights the arm keeps
 * @param initClasses number of classes of the pretrained head (0 when starting from scratch or when
 *     unknown)
 * @param moduleKey for {@code torchscript} only, and then required: the key of the TorchScript
 *     archive that defines the network's structure, for every arm (the scratch arm builds the same
 *     module and re-initialises its weights); {@code null} for the other architectures
 * @param initClassNames the pretrained model's class names, in the order of its output units, when
 *     the arm reuses their units ({@link Head#REUSE}); empty otherwise (also when absent)
 */
public record ArmSpec(
    String runId,
    Arm arm,
    String architecture,
    TrainingParams params,
    String initParametersKey,
    int initClasses,
    String moduleKey,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> initClassNames) {
  /** The architecture whose structure comes from a TorchScript archive. */
  public static final String TORCHSCRIPT = "torchscript";

  public ArmSpec {
    RunIds.requireValid(runId);
    initClassNames = initClassNames == null ? List.of() : List.copyOf(initClassNames);
    Choices.required("arm", arm);
    Choices.requireOneOf(
        "model", architecture, "cnn", "resnet18", "resnet50", "mlp", "c3d", TORCHSCRIPT);
    if (params == null) {
      throw new IllegalArgumentException("params must not be null");
    }
    if (TORCHSCRIPT.equals(architecture) != (moduleKey != null)) {
      throw new IllegalArgumentException(
          TORCHSCRIPT.equals(architecture)
              ? "a torchscript arm needs the key of its TorchScript archive"
              : "only a torchscript arm has a TorchScript archive, not a " + architecture + " arm");
    }
  }

  /** Whether this arm starts from pretrained weights. */
  public boolean pretrained() {
    return initParametersKey != null;
  }

  /** Whether the network is a TorchScript module followed by a new head. */
  public boolean torchScript() {
    return moduleKey != null;
  }
}
