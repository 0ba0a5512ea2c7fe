package io.tunelab.workflows.model;

/**
 * One diagnosis: a code from the contract's table, how bad it is, which arm, the evidence in
 * numbers and what to do about it.
 */
public record Finding(
    String code,
    String severity,
    String arm,
    String title,
    String evidence,
    String recommendation) {
  public Finding {
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("finding code must not be empty");
    }
    Choices.requireOneOf("severity", severity, "info", "warning", "critical");
    Choices.requireOneOf("arm", arm, "finetune", "scratch", "data");
  }
}
