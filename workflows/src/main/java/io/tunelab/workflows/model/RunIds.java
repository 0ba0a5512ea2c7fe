package io.tunelab.workflows.model;

import java.util.regex.Pattern;

/** Rules for run ids: they become workflow ids and object-key prefixes. */
public final class RunIds {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private RunIds() {}

  /** Throws when {@code runId} cannot serve as a workflow id and a key prefix. */
  public static void requireValid(String runId) {
    if (runId == null || !VALID.matcher(runId).matches()) {
      throw new IllegalArgumentException(
          "run id must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit: "
              + runId);
    }
  }
}
