package io.tunelab.workflows.model;

import java.util.regex.Pattern;

/**
 * Rules for dataset names ({@code data push --dataset}, {@code watch --dataset}): they become
 * object-key prefixes ({@code datasets/NAME/}) and part of workflow ids ({@code watch-NAME}).
 */
public final class DatasetNames {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private DatasetNames() {}

  /** Throws when {@code name} cannot serve as a dataset name. */
  public static void requireValid(String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "dataset name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit: "
              + name);
    }
  }

  /** Whether {@code version} can name a version folder: any one non-empty path segment. */
  public static boolean validVersion(String version) {
    return version != null
        && !version.isEmpty()
        && !version.contains("/")
        && version.length() <= 512;
  }
}
