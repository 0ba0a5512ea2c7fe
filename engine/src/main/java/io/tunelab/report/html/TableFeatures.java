package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The data section of a table (the report's {@code dataset.table}): the class column, the dropped
 * and the one-hot encoded columns with their categories, and one row per feature with its mean,
 * deviation and range in each split (before standardisation), where a feature's drift between train
 * and val or test shows.
 */
final class TableFeatures {
  private static final List<String> SPLITS = List.of("train", "val", "test");

  private TableFeatures() {}

  /** The table's facts and per-feature statistics; empty when the dataset is not a table. */
  static String render(JsonNode dataset) {
    JsonNode table = dataset.path("table");
    if (!table.isObject()) {
      return "";
    }
    StringBuilder html = new StringBuilder("<div id=\"table-features\"><p class=\"note\">");
    html.append(table.path("features").size())
        .append(" features from ")
        .append(escape(join(table.path("files"))))
        .append("; class column <code>")
        .append(escape(table.path("label").asText()))
        .append("</code>");
    if (table.path("ignoredColumns").size() > 0) {
      html.append("; dropped ").append(escape(join(table.path("ignoredColumns"))));
    }
    html.append(". Standardised with the training split's mean and deviation.</p>");
    JsonNode oneHot = table.path("oneHot");
    if (oneHot.size() > 0) {
      html.append("<p class=\"note\" id=\"one-hot\">One-hot encoded text columns: ");
      Iterator<Map.Entry<String, JsonNode>> columns = oneHot.fields();
      while (columns.hasNext()) {
        Map.Entry<String, JsonNode> c = columns.next();
        html.append("<code>")
            .append(escape(c.getKey()))
            .append("</code> (")
            .append(escape(join(c.getValue())))
            .append(")")
            .append(columns.hasNext() ? "; " : ".");
      }
      html.append("</p>");
    }
    html.append(
        "<table class=\"data features\" id=\"feature-stats\"><thead><tr><th"
            + " rowspan=\"2\">feature</th>");
    SPLITS.forEach(s -> html.append("<th colspan=\"3\">").append(s).append("</th>"));
    html.append("</tr><tr>");
    SPLITS.forEach(
        s ->
            html.append(
                "<th class=\"num\">mean</th><th class=\"num\">sd</th><th"
                    + " class=\"num\">min…max</th>"));
    html.append("</tr></thead><tbody>");
    for (JsonNode f : table.path("features")) {
      String name = f.asText();
      html.append("<tr><th>").append(escape(name)).append("</th>");
      for (String split : SPLITS) {
        JsonNode s = table.path("statistics").path(split).path(name);
        html.append("<td class=\"num\">")
            .append(Html.sig(s.path("mean").asDouble()))
            .append("</td><td class=\"num\">")
            .append(Html.sig(s.path("sd").asDouble()))
            .append("</td><td class=\"num\">")
            .append(Html.sig(s.path("min").asDouble()))
            .append("…")
            .append(Html.sig(s.path("max").asDouble()))
            .append("</td>");
      }
      html.append("</tr>");
    }
    return html.append("</tbody></table></div>").toString();
  }

  private static String join(JsonNode values) {
    StringBuilder s = new StringBuilder();
    for (JsonNode v : values) {
      s.append(s.length() == 0 ? "" : ", ").append(v.asText());
    }
    return s.toString();
  }
}
