package io.tunelab.training;

import java.util.Objects;

/**
 * Where a {@code torchscript} network starts on epoch 1: the TorchScript archive that defines its
 * module, and whether the module keeps the archive's weights (the fine-tune arm) or has them
 * re-initialised from the seed (the scratch arm; see {@link Network#reinitialiseModule}).
 *
 * @param archive the TorchScript archive ({@code torch.jit.save} output)
 * @param keepWeights {@code true} to start from the archive's weights
 */
public record TorchScriptStart(byte[] archive, boolean keepWeights) {
  public TorchScriptStart {
    Objects.requireNonNull(archive, "archive");
    if (archive.length == 0) {
      throw new IllegalArgumentException("the TorchScript archive is empty");
    }
  }
}
