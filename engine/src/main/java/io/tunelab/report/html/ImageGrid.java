package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import java.util.List;

/**
 * A grid of small images embedded as {@code data:} URIs, each with a caption of a few lines and a
 * tooltip; pixels stay sharp when scaled up.
 */
final class ImageGrid {
  /**
   * One image.
   *
   * @param png the image as PNG bytes
   * @param alt its text alternative and tooltip
   * @param caption caption lines, already HTML (callers escape what they put in)
   */
  record Tile(byte[] png, String alt, List<String> caption) {}

  private ImageGrid() {}

  /** The grid, with {@code id} as its element id. */
  static String render(String id, List<Tile> tiles) {
    StringBuilder html = new StringBuilder(tiles.size() * 1024);
    html.append("<div class=\"image-grid\" id=\"").append(escape(id)).append("\">");
    for (Tile t : tiles) {
      html.append("<figure class=\"tile\" title=\"")
          .append(escape(t.alt()))
          .append("\"><img alt=\"")
          .append(escape(t.alt()))
          .append("\" src=\"")
          .append(Html.pngUri(t.png()))
          .append("\"><figcaption>")
          .append(String.join("<br>", t.caption()))
          .append("</figcaption></figure>");
    }
    return html.append("</div>").toString();
  }
}
