package io.tunelab.sweep;

/**
 * A finding of a member run's own report, as the sweep report lists it.
 *
 * @param code the finding code (e.g. {@code overfitting})
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param arm the arm it is about ({@code finetune}, {@code scratch} or {@code data})
 */
public record RunFinding(String code, String severity, String arm) {
  /** The code every healthy run carries, which says nothing about a setting. */
  public static final String HEALTHY = "healthy";
}
