package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The findings as cards, most severe first (critical, warning, info; the report's order within a
 * severity), each marked by its severity's colour and badge; an info finding shows its title and
 * opens to its evidence and recommendation. The summary line "N critical, M warning, K info" goes
 * at the top of the page.
 */
final class FindingsList {
  private static final List<String> SEVERITIES = List.of("critical", "warning", "info");

  private FindingsList() {}

  /** The findings in display order. */
  static List<JsonNode> ordered(JsonNode findings) {
    List<JsonNode> list = new ArrayList<>();
    findings.forEach(list::add);
    list.sort(Comparator.comparingInt(FindingsList::rank));
    return list;
  }

  /** "N critical, M warning, K info". */
  static String summary(JsonNode findings) {
    int[] counts = new int[SEVERITIES.size()];
    for (JsonNode f : findings) {
      int i = SEVERITIES.indexOf(f.path("severity").asText());
      if (i >= 0) {
        counts[i]++;
      }
    }
    return counts[0] + " critical, " + counts[1] + " warning, " + counts[2] + " info";
  }

  /** The summary line as HTML with a badge per severity. */
  static String summaryHtml(JsonNode findings) {
    String[] parts = summary(findings).split(", ");
    StringBuilder html = new StringBuilder("<p class=\"summary\" id=\"findings-summary\">");
    for (int i = 0; i < parts.length; i++) {
      html.append(i == 0 ? "" : ", ")
          .append("<span class=\"count ")
          .append(SEVERITIES.get(i))
          .append("\">")
          .append(escape(parts[i]))
          .append("</span>");
    }
    return html.append("</p>").toString();
  }

  /** Every finding as a card. */
  static String render(JsonNode findings, Map<String, String> armColours) {
    StringBuilder html = new StringBuilder();
    if (findings.size() == 0) {
      return html.append("<p class=\"note\">No findings (the diagnosis has not run yet).</p>")
          .toString();
    }
    html.append("<div class=\"findings\">");
    for (JsonNode f : ordered(findings)) {
      String severity = f.path("severity").asText("info");
      String cls = SEVERITIES.contains(severity) ? severity : "info";
      String arm = f.path("arm").asText("");
      boolean fold = "info".equals(cls);
      html.append("<article class=\"finding ")
          .append(cls)
          .append("\" data-code=\"")
          .append(escape(f.path("code").asText()))
          .append("\" data-severity=\"")
          .append(escape(severity))
          .append("\">")
          .append(fold ? "<details><summary>" : "")
          .append("<header><span class=\"badge ")
          .append(cls)
          .append("\">")
          .append(escape(severity))
          .append("</span><code>")
          .append(escape(f.path("code").asText()))
          .append("</code>");
      if (!arm.isEmpty()) {
        String colour = armColours.getOrDefault(arm, "#64748b");
        html.append("<span class=\"arm\" style=\"border-color:")
            .append(colour)
            .append(";color:")
            .append(colour)
            .append("\">")
            .append(escape(arm))
            .append("</span>");
      }
      html.append("</header><h3>")
          .append(escape(f.path("title").asText()))
          .append("</h3>")
          .append(fold ? "</summary>" : "")
          .append("<p class=\"evidence\"><b>Evidence.</b> ")
          .append(escape(f.path("evidence").asText()))
          .append("</p><p class=\"recommendation\"><b>Recommendation.</b> ")
          .append(escape(f.path("recommendation").asText()))
          .append("</p>")
          .append(fold ? "</details>" : "")
          .append("</article>");
    }
    return html.append("</div>").toString();
  }

  private static int rank(JsonNode f) {
    int i = SEVERITIES.indexOf(f.path("severity").asText());
    return i < 0 ? SEVERITIES.size() : i;
  }

  /** The {@code label-noise} finding among the report's findings, or {@code null}. */
  static JsonNode labelNoise(JsonNode findings) {
    for (JsonNode f : findings) {
      if ("label-noise".equals(f.path("code").asText())) {
        return f;
      }
    }
    return null;
  }
}
