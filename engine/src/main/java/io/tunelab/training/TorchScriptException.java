package io.tunelab.training;

/**
 * A TorchScript archive that cannot serve as a network: libtorch cannot load it, or the module
 * cannot take the images it is given, or its output is not one tensor of features per image. It is
 * the user's input that is wrong, so retrying cannot help.
 */
public final class TorchScriptException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TorchScriptException(String message, Throwable cause) {
    super(message, cause);
  }

  public TorchScriptException(String message) {
    super(message);
  }
}
