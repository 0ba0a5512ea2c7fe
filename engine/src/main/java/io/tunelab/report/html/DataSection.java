package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The data section: the counts per split and class, the duplicates across splits, the rejected
 * files, and the preview of augmented samples (images) or the per-feature statistics (tables).
 */
final class DataSection {
  private DataSection() {}

  /**
   * The section's body.
   *
   * @param report the report JSON
   * @param evidence the run's stored objects
   * @param previewTitle the title of the augmented-samples preview
   * @param previewCaption what the preview's rows and columns are
   */
  static String render(
      JsonNode report, StoredEvidence evidence, String previewTitle, String previewCaption) {
    JsonNode dataset = report.path("dataset");
    StringBuilder html = new StringBuilder("<div class=\"grid-data\"><div>");
    html.append(DataTables.counts(dataset))
        .append("</div><div>")
        .append(DataTables.duplicates(dataset))
        .append(DataTables.rejected(dataset))
        .append("</div></div>")
        .append(TableFeatures.render(dataset));
    if (dataset.hasNonNull("augmentedSamples")) {
      String key = dataset.path("augmentedSamples").asText();
      byte[] png = evidence.object(key);
      html.append("<h3>").append(escape(previewTitle)).append("</h3>");
      if (png != null) {
        html.append("<figure class=\"preview\"><img alt=\"")
            .append(escape(previewTitle))
            .append("\" src=\"")
            .append(Html.pngUri(png))
            .append("\"><figcaption>")
            .append(escape(previewTitle))
            .append(": ")
            .append(escape(previewCaption))
            .append("</figcaption></figure>");
      } else {
        html.append("<p class=\"omitted\">")
            .append(escape(previewTitle))
            .append(" (")
            .append(escape(previewCaption))
            .append(") are stored as <code>")
            .append(escape(key))
            .append("</code>, which is not available here.</p>");
      }
    }
    return html.toString();
  }
}
