package io.tunelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.storage.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTML report of a realistic run ({@link ReportFixture}): every chart drawn from the stored
 * evidence, nothing fetched from elsewhere, markup from the data shown as text, and a page that
 * still renders, with the charts that need objects left out, when the objects cannot be read. The
 * pages are written to {@code target/report-html/} for a look.
 */
class ReportRendererHtmlTest {
  private static ReportFixture fixture;
  private static String page;

  @BeforeAll
  static void render() throws Exception {
    fixture = new ReportFixture();
    page = new ReportRenderer().html(fixture.report, fixture.objects::get);
    Path dir = Path.of("target", "report-html");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("with-objects.html"), page, StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("without-objects.html"),
        new ReportRenderer().html(fixture.report),
        StandardCharsets.UTF_8);
  }

  @Test
  void drawsEveryChartFromTheStoredEvidence() {
    for (String id :
        List.of(
            "chart-loss",
            "chart-accuracy",
            "chart-lr",
            "reliability-finetune",
            "reliability-scratch",
            "per-class-accuracy")) {
      assertTrue(page.contains("<svg id=\"" + id + "\""), id);
    }
    assertTrue(page.contains("<table class=\"confusion-matrix\" id=\"confusion-finetune\""));
    assertTrue(page.contains("<table class=\"confusion-matrix\" id=\"confusion-scratch\""));
    assertTrue(page.contains("<table class=\"epochs\" id=\"epochs-finetune\""));
    assertTrue(page.contains("<table class=\"data counts\" id=\"data-table\""));
    assertEquals(count(page, "<svg"), count(page, "</svg>"), "every svg is closed");
    // noise bands around both validation curves of both arms, loss from the per-image losses
    assertEquals(
        2,
        count(chart("chart-loss"), "<path class=\"band\" data-arm=\"finetune\"")
            + Math.min(1, count(chart("chart-loss"), "<path class=\"band\" data-arm=\"scratch\"")));
    assertTrue(count(chart("chart-accuracy"), "<path class=\"band\"") >= 2);
    // best epochs ringed on the validation lines of loss and accuracy
    assertEquals(2, count(chart("chart-loss"), "class=\"best\""));
    assertEquals(2, count(chart("chart-accuracy"), "class=\"best\""));
    assertTrue(page.contains("ECE "), "the reliability diagrams give the ECE");
    assertTrue(page.contains("id=\"winner\">finetune<"));
    assertTrue(page.contains("id=\"p-value\">3.1e-05<"), page.substring(page.indexOf("p-value")));
  }

  @Test
  void showsTheImagesTheLabelNoiseFindingNames() {
    int start = page.indexOf("<div class=\"image-grid\" id=\"mislabelled-grid\">");
    assertTrue(start > 0, "the grid of suspects");
    String grid = page.substring(start, page.indexOf("</div>", start));
    assertEquals(fixture.named.size(), count(grid, "<img "), grid);
    assertEquals(fixture.named.size(), count(grid, "src=\"data:image/png;base64,"));
    String first = fixture.named.get(0);
    assertTrue(grid.contains(escape(first) + ": labelled "), "most confident first: " + first);
    assertTrue(grid.contains("class=\"given\"") && grid.contains("class=\"suspected\""));
    assertTrue(
        page.contains("<img alt=\"Augmented training samples\" src=\"data:image/png;base64,"),
        "the augmented preview stays embedded");
  }

  @Test
  void findingsComeMostSevereFirstWithTheSummaryLine() {
    assertTrue(
        page.contains(
            "1 critical</span>, <span class=\"count warning\">2 warning</span>, "
                + "<span class=\"count info\">1 info"),
        "summary line");
    List<String> order = new ArrayList<>();
    Matcher m =
        Pattern.compile("<article class=\"finding (\\w+)\" data-code=\"([\\w-]+)\"").matcher(page);
    while (m.find()) {
      order.add(m.group(1) + ":" + m.group(2));
    }
    assertEquals(
        List.of(
            "critical:lr-too-high",
            "warning:overfitting",
            "warning:label-noise",
            "info:val-fluctuation"),
        order);
    assertTrue(
        new ReportRenderer().markdown(fixture.report).contains("1 critical, 2 warning, 1 info"));
  }

  @Test
  void loadsNothingFromElsewhereAndRunsNoScript() {
    for (String p : new String[] {page, new ReportRenderer().html(fixture.report)}) {
      assertFalse(p.contains("http://") || p.contains("https://"), "no URL of another place");
      Matcher m = Pattern.compile("(?i)\\b(src|href)\\s*=\\s*\"([^\"]*)\"").matcher(p);
      while (m.find()) {
        String url = m.group(2);
        assertTrue(url.startsWith("data:image/png;base64,") || url.startsWith("#"), url);
      }
      assertFalse(p.toLowerCase().contains("<script"), "no script");
      assertFalse(p.toLowerCase().contains("<link"), "no linked style sheet");
      assertFalse(
          p.contains("url(") && p.replaceAll("url\\(#[\\w-]+\\)", "").contains("url("),
          "only url(#...) references inside the page");
    }
  }

  @Test
  void markupInTheDataIsShownAsText() {
    assertFalse(page.contains(ReportFixture.MARKUP_CLASS), "a class name is never markup");
    assertTrue(page.contains(escape(ReportFixture.MARKUP_CLASS)));
    assertFalse(page.contains("<script>alert"), "evidence is escaped");
    assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assertFalse(page.contains(ReportFixture.REJECTED));
    assertTrue(page.contains(escape(ReportFixture.REJECTED)));
    assertTrue(page.contains("a note with &lt;markup&gt; &amp; an ampersand"));
  }

  @Test
  void aDivergedEpochBreaksTheLinesWithoutBreakingTheCharts() {
    for (String c : List.of("chart-loss", "chart-accuracy", "chart-lr")) {
      String svg = chart(c);
      assertFalse(
          svg.contains("NaN")
              && Pattern.compile("(d|cx|cy|x|y|width|height)=\"[^\"]*(NaN|Infinity)")
                  .matcher(svg)
                  .find(),
          c + " has no NaN coordinate");
    }
    assertTrue(chart("chart-loss").contains("<path class=\"diverged\""), "the NaN is marked");
    assertTrue(page.contains("<td class=\"num diverged\""), "and shown as NaN in the table");
    // both scratch lines of the loss chart break at the diverged epoch: two pieces each
    Matcher m =
        Pattern.compile(
                "<path class=\"line series (train|val)\" data-arm=\"scratch\"[^>]* d=\"([^\"]*)\"")
            .matcher(chart("chart-loss"));
    int lines = 0;
    while (m.find()) {
      lines++;
      assertEquals(2, count(m.group(2), "M"), m.group(0));
    }
    assertEquals(2, lines);
  }

  @Test
  void withoutObjectsThePageRendersAndLeavesOutWhatNeedsThem() {
    String bare = new ReportRenderer().html(fixture.report);
    for (String id : List.of("chart-loss", "chart-accuracy", "chart-lr")) {
      assertTrue(bare.contains("<svg id=\"" + id + "\""), id);
    }
    assertFalse(bare.contains("<svg id=\"reliability-"));
    assertFalse(bare.contains("<table class=\"confusion-matrix\""));
    assertFalse(bare.contains("<svg id=\"per-class-accuracy\""));
    assertFalse(bare.contains("id=\"mislabelled-grid\""));
    assertFalse(bare.contains("data:image/png"));
    assertTrue(bare.contains("id=\"no-predictions\""), "a note says what is left out");
    assertTrue(bare.contains("No loss band"), "the loss band needs per-image losses");
    assertTrue(bare.contains("<path class=\"band\""), "the accuracy band needs only the val size");
    assertTrue(bare.contains(ReportFixture.PREVIEW_KEY), "the preview's key is named instead");
    assertTrue(bare.contains("1 critical"));
  }

  @Test
  void brokenObjectsAndOddReportsNeverThrow() {
    String throwing =
        new ReportRenderer()
            .html(
                fixture.report,
                key -> {
                  throw new IllegalStateException("store down");
                });
    assertTrue(throwing.contains("<svg id=\"chart-loss\""));
    String garbage =
        new ReportRenderer()
            .html(fixture.report, key -> "{not json".getBytes(StandardCharsets.UTF_8));
    assertTrue(garbage.contains("<svg id=\"chart-loss\""));
    assertTrue(garbage.contains("id=\"no-predictions\""));
    String empty = new ReportRenderer().html(Json.mapper().createObjectNode());
    assertTrue(empty.contains("</html>"));
    String running = new ReportRenderer().html(fixture.running(), fixture.objects::get);
    assertTrue(running.contains("<svg id=\"chart-loss\""));
    assertFalse(running.contains("id=\"winner\""));
    ObjectNode pretrain = Json.mapper().createObjectNode();
    pretrain.put("runId", "p1");
    pretrain.put("status", "COMPLETED");
    ObjectNode arm = pretrain.putObject("arms").putObject("pretrain");
    ObjectNode e = arm.putArray("epochs").addObject();
    e.put("epoch", 1);
    e.put("trainLoss", "Infinity");
    e.putNull("valLoss");
    e.put("lr", 0.0);
    arm.put("bestEpoch", 1);
    String one = new ReportRenderer().html(pretrain);
    assertTrue(one.contains("<body data-status=\"COMPLETED\">"));
    assertFalse(one.contains("could not be drawn"), one);
  }

  @Test
  void anEpochZeroRowStartsTheCurveAndIsNamedInTheTable() {
    ObjectNode report = fixture.report.deepCopy();
    ObjectNode start =
        ((com.fasterxml.jackson.databind.node.ArrayNode)
                report.path("arms").path("finetune").path("epochs"))
            .insertObject(0);
    start.put("epoch", 0);
    start.put("trainLoss", 0.41);
    start.put("trainAcc", 0.88);
    start.put("valLoss", 0.2345);
    start.put("valAcc", 0.9);
    start.put("lr", 0.0);
    start.put("seconds", 0.3);
    String html = new ReportRenderer().html(report, fixture.objects::get);

    assertTrue(
        html.contains("<tr data-epoch=\"0\"><td class=\"num\">0 (before training)</td>"),
        "the table names epoch 0 as the evaluation before training");
    String loss = chart(html, "chart-loss");
    assertTrue(loss.contains("epoch 0: 0.2345"), "the loss chart's fine-tune line starts there");
    assertFalse(chart(page, "chart-loss").contains("epoch 0:"), "a run without one starts at 1");
  }

  private static String chart(String id) {
    return chart(page, id);
  }

  private static String chart(String html, String id) {
    int start = html.indexOf("<svg id=\"" + id + "\"");
    return html.substring(start, html.indexOf("</svg>", start));
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
