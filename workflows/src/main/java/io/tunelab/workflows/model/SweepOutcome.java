package io.tunelab.workflows.model;

import java.util.List;

/**
 * What a sweep's report says in brief, for its workflow's summary and its state.
 *
 * @param reportKey key of the stored sweep report JSON
 * @param best the best config's number, or {@code null} when no member completed
 * @param findings the sweep finding codes, in the report's order
 * @param headline one line: the best config and how sure the verdict is
 */
public record SweepOutcome(String reportKey, Integer best, List<String> findings, String headline) {
  public SweepOutcome {
    findings = findings == null ? List.of() : List.copyOf(findings);
  }
}
