package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.report.ImageInput;
import java.util.List;

/**
 * The data section's tables: samples (for clips, stacks and videos) per class and split with
 * totals, the rejected files and the duplicates across splits.
 */
final class DataTables {
  private static final List<String> SPLITS = List.of("train", "val", "test");

  /** Pairs of duplicates listed at most; the count says how many there are. */
  static final int MAX_PAIRS = 50;

  /** Longer lists than this are folded away (an HTML {@code details} element) until opened. */
  static final int FOLD = 8;

  private DataTables() {}

  /** The classes × splits table; for clips each count of stacks is followed by its videos. */
  static String counts(JsonNode dataset) {
    JsonNode videos = dataset.path("videos");
    boolean clips = videos.isObject() && videos.size() > 0;
    StringBuilder html =
        new StringBuilder(
            "<table class=\"data counts\" id=\"data-table\">"
                + (clips ? "<caption>stacks (videos)</caption>" : "")
                + "<thead><tr><th>class</th>");
    SPLITS.forEach(s -> html.append("<th class=\"num\">").append(s).append("</th>"));
    html.append("<th class=\"num\">all</th></tr></thead><tbody>");
    long[] totals = new long[SPLITS.size()];
    long[] videoTotals = new long[SPLITS.size()];
    for (JsonNode c : dataset.path("classes")) {
      String name = c.asText();
      html.append("<tr><th>").append(escape(name)).append("</th>");
      long row = 0;
      long rowVideos = 0;
      for (int i = 0; i < SPLITS.size(); i++) {
        long n = dataset.path("splits").path(SPLITS.get(i)).path(name).asLong();
        long v = videos.path(SPLITS.get(i)).path(name).asLong();
        totals[i] += n;
        videoTotals[i] += v;
        row += n;
        rowVideos += v;
        html.append(cell(n, v, clips));
      }
      html.append(cell(row, rowVideos, clips)).append("</tr>");
    }
    html.append("</tbody><tfoot><tr><th>all</th>");
    long all = 0;
    long allVideos = 0;
    for (int i = 0; i < SPLITS.size(); i++) {
      all += totals[i];
      allVideos += videoTotals[i];
      html.append(cell(totals[i], videoTotals[i], clips));
    }
    return html.append(cell(all, allVideos, clips)).append("</tr></tfoot></table>").toString();
  }

  private static String cell(long count, long videos, boolean clips) {
    return "<td class=\"num\">"
        + count
        + (clips ? " <span class=\"videos\">(" + videos + ")</span>" : "")
        + "</td>";
  }

  /** The rejected files, or a line saying there are none. */
  static String rejected(JsonNode dataset) {
    JsonNode rejected = dataset.path("rejected");
    if (rejected.size() == 0) {
      return "<p class=\"note\" id=\"rejected\">Rejected files: none.</p>";
    }
    String title = rejected.size() + (rejected.size() == 1 ? " rejected file" : " rejected files");
    StringBuilder html =
        new StringBuilder(rejected.size() > FOLD ? "<details><summary>" + title + "</summary>" : "")
            .append("<table class=\"data rejected\" id=\"rejected\"><caption>")
            .append(title)
            .append("</caption><thead><tr><th>file</th><th>reason</th></tr></thead><tbody>");
    for (JsonNode r : rejected) {
      html.append("<tr><td><code>")
          .append(escape(r.path("path").asText()))
          .append("</code></td><td>")
          .append(escape(r.path("reason").asText()))
          .append("</td></tr>");
    }
    return html.append("</tbody></table>")
        .append(rejected.size() > FOLD ? "</details>" : "")
        .toString();
  }

  /** The duplicates across splits: the count, and the pairs when the report lists them. */
  static String duplicates(JsonNode dataset) {
    int count = dataset.path("duplicatesAcrossSplits").asInt();
    StringBuilder html =
        new StringBuilder("<p id=\"duplicates\" class=\"")
            .append(count > 0 ? "warn" : "note")
            .append("\">Identical images across splits: <b>")
            .append(count)
            .append("</b>");
    JsonNode near = dataset.path("nearDuplicatePairs");
    if (near.size() > 0) {
      html.append("; near-duplicate pairs: <b>").append(near.size()).append("</b>");
    }
    if (dataset.path("imbalanceRatio").isNumber()) {
      html.append("; largest / smallest training class: <b>")
          .append(Html.num(dataset.path("imbalanceRatio").asDouble(), 1))
          .append("×</b>");
    }
    html.append(".</p>");
    String input = ImageInput.sentence(dataset);
    if (input != null) {
      html.append("<p id=\"image-input\" class=\"note\">").append(escape(input)).append("</p>");
    }
    JsonNode pairs = dataset.path("duplicatePairs");
    if (pairs.size() > 0) {
      html.append(pairTable("Identical pairs", pairs));
    }
    if (near.size() > 0) {
      html.append(pairTable("Near-duplicate pairs", near));
    }
    return html.toString();
  }

  private static String pairTable(String caption, JsonNode pairs) {
    String title =
        escape(caption)
            + (pairs.size() > MAX_PAIRS
                ? " (first " + MAX_PAIRS + " of " + pairs.size() + ")"
                : " (" + pairs.size() + ")");
    StringBuilder html =
        new StringBuilder(pairs.size() > FOLD ? "<details><summary>" + title + "</summary>" : "")
            .append("<table class=\"data pairs\"><caption>")
            .append(title)
            .append(
                "</caption><thead><tr><th>first</th><th>split</th><th>second</th><th>split</th>"
                    + "<th class=\"num\">distance</th></tr></thead><tbody>");
    int i = 0;
    for (JsonNode p : pairs) {
      if (i++ >= MAX_PAIRS) {
        break;
      }
      html.append("<tr><td><code>")
          .append(escape(p.path("first").asText()))
          .append("</code></td><td>")
          .append(escape(p.path("firstSplit").asText()))
          .append("</td><td><code>")
          .append(escape(p.path("second").asText()))
          .append("</code></td><td>")
          .append(escape(p.path("secondSplit").asText()))
          .append("</td><td class=\"num\">")
          .append(p.path("distance").asInt())
          .append("</td></tr>");
    }
    return html.append("</tbody></table>")
        .append(pairs.size() > FOLD ? "</details>" : "")
        .toString();
  }
}
