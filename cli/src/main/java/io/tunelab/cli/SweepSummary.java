package io.tunelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A sweep's end on stdout: its report JSON, or a few lines of configs, verdict and findings. */
public final class SweepSummary {
  private SweepSummary() {}

  /** Prints the stored report of sweep {@code sweepId}, if it was written. */
  public static void print(String sweepId, boolean json, Services services, PrintWriter out) {
    byte[] bytes;
    try {
      bytes = services.store().get(Keys.report(sweepId));
    } catch (ObjectNotFoundException e) {
      return;
    }
    if (json) {
      out.println(new String(bytes, StandardCharsets.UTF_8));
    } else {
      print(Json.tree(bytes), out);
    }
    out.flush();
  }

  /** The summary lines of a sweep report. */
  static void print(JsonNode report, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "sweep %s %s%n",
        report.path("sweepId").asText(),
        report.path("status").asText());
    for (JsonNode c : report.path("configs")) {
      StringBuilder values = new StringBuilder();
      c.path("values")
          .fields()
          .forEachRemaining(
              e ->
                  values
                      .append(values.length() == 0 ? "" : " ")
                      .append(e.getKey())
                      .append('=')
                      .append(e.getValue().asText()));
      JsonNode acc = c.path("testAcc");
      long completed = 0;
      for (JsonNode r : c.path("runs")) {
        completed += "COMPLETED".equals(r.path("status").asText()) ? 1 : 0;
      }
      out.printf(
          Locale.ROOT,
          "  %s config %d (%s): test acc %s over %d of %d runs%n",
          c.path("config").asInt() == report.path("best").asInt(-1) ? "*" : " ",
          c.path("config").asInt(),
          values,
          acc.path("mean").isNumber()
              ? String.format(
                  Locale.ROOT,
                  "%.4f [%.4f, %.4f]",
                  acc.path("mean").asDouble(),
                  acc.path("low").asDouble(),
                  acc.path("high").asDouble())
              : "-",
          completed,
          c.path("runs").size());
    }
    for (JsonNode f : report.path("findings")) {
      out.printf(
          Locale.ROOT,
          "%s %s: %s%n    %s%n",
          f.path("severity").asText().toUpperCase(Locale.ROOT),
          f.path("code").asText(),
          f.path("title").asText(),
          f.path("evidence").asText());
      if (f.hasNonNull("recommendation")) {
        out.printf(Locale.ROOT, "    -> %s%n", f.path("recommendation").asText());
      }
    }
    out.println(
        "report: tunelab report " + report.path("sweepId").asText() + " --format md|html|json");
  }
}
