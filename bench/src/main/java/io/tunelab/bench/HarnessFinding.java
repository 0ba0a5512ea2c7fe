package io.tunelab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.workflows.model.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * A finding as {@link DiagnosisHarness} scores it, read from a report or from the engine's own
 * {@link Finding} when rejudging.
 */
record HarnessFinding(String code, String severity, String arm, String title) {
  HarnessFinding {
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("a finding needs a code");
    }
  }

  /** Whether its severity is warning or critical. */
  boolean raised() {
    return "warning".equals(severity) || "critical".equals(severity);
  }

  /** The findings of a report's {@code findings} array. */
  static List<HarnessFinding> of(JsonNode report) {
    List<HarnessFinding> all = new ArrayList<>();
    for (JsonNode f : report.path("findings")) {
      all.add(
          new HarnessFinding(
              f.path("code").asText(),
              f.path("severity").asText(),
              f.path("arm").asText(),
              f.path("title").asText("")));
    }
    return all;
  }

  /** The engine's findings as scored. */
  static List<HarnessFinding> of(List<Finding> findings) {
    return findings.stream()
        .map(f -> new HarnessFinding(f.code(), f.severity(), f.arm(), f.title()))
        .toList();
  }

  /** {@code code:severity:arm}. */
  String brief() {
    return code + ":" + severity + (arm == null || arm.isEmpty() ? "" : ":" + arm);
  }
}
