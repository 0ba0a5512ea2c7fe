package io.tunelab.cli.dashboard;

import io.tunelab.report.html.Html;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's pages: templates from the classpath with their style and script inlined. Values
 * put into a template are escaped for HTML; run data never is: the pages' scripts fetch it as JSON
 * and insert it as text.
 */
final class DashboardPages {
  private final String subtitle;
  private final String index;
  private final String run;
  private final String sweep;
  private final String css;
  private final String common;

  /**
   * @param subtitle shown in every page's header (where the dashboard's data come from)
   */
  DashboardPages(String subtitle) {
    this.subtitle = subtitle == null ? "" : subtitle;
    this.index = resource("index.html");
    this.run = resource("run.html");
    this.sweep = resource("sweep.html");
    this.css = resource("dashboard.css");
    this.common = resource("common.js");
  }

  String index(String nonce) {
    return fill(index, nonce).replace("{{runId}}", "");
  }

  /**
   * @param runId the run (already checked against the run id rules, escaped all the same)
   * @param temporalLink the run's page in the Temporal web UI, or {@code null}
   */
  String run(String runId, String temporalLink, String nonce) {
    return page(run, runId, temporalLink, nonce);
  }

  /**
   * A sweep's page, filled as a run's is.
   *
   * @param sweepId the sweep (already checked against the run id rules, escaped all the same)
   * @param temporalLink the sweep's page in the Temporal web UI, or {@code null}
   */
  String sweep(String sweepId, String temporalLink, String nonce) {
    return page(sweep, sweepId, temporalLink, nonce);
  }

  private String page(String template, String id, String temporalLink, String nonce) {
    String link =
        temporalLink == null
            ? ""
            : "<a id=\"temporal-ui\" href=\""
                + Html.escape(temporalLink)
                + "\" rel=\"noopener noreferrer\" target=\"_blank\">Temporal web UI</a>";
    return fill(template, nonce)
        .replace("{{temporalLink}}", link)
        .replace("{{runId}}", Html.escape(id));
  }

  String notFound(String message) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>not found</title>"
        + "<style>"
        + css
        + "</style></head><body><header><a href=\"/\">tunelab</a></header><main>"
        + "<h1>Not found</h1><p>"
        + Html.escape(message)
        + "</p><p><a href=\"/\">all runs</a></p>"
        + "</main></body></html>\n";
  }

  // style and script first: their text is ours; the escaped values come last so that nothing
  // inside them is taken for a placeholder
  private String fill(String template, String nonce) {
    return template
        .replace("{{css}}", css)
        .replace("{{common}}", common)
        .replace("{{nonce}}", nonce)
        .replace("{{subtitle}}", Html.escape(subtitle));
  }

  private static String resource(String name) {
    try (InputStream in = DashboardPages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
