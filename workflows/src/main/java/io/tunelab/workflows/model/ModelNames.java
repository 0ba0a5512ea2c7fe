package io.tunelab.workflows.model;

import java.util.regex.Pattern;

/** Rules for registry names: they become object-key prefixes. */
public final class ModelNames {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private ModelNames() {}

  /** Throws when {@code name} cannot serve as a registry name. */
  public static void requireValid(String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "model name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit: "
              + name);
    }
  }
}
