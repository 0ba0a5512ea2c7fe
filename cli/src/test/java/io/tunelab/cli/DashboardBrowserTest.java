package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Acceptance 5: the run page in a real browser. An embedded stack, a worker and the dashboard on
 * free ports; a run of twelve epochs per arm; its page open in Debian's headless Chromium while the
 * run goes on. The page, polling the JSON, must put each epoch into the document (a table row and
 * SVG points per epoch) as it arrives, without a reload; a rejected file named like markup must
 * show as text. Screenshots go to {@code target/dashboard-screenshots/}.
 *
 * <p>Then the HTML report of that run ({@code report RUN --format html --out FILE}), opened as a
 * file and as the dashboard serves it (under its content security policy): its charts and findings
 * must be in the document, the page must report no console error, no uncaught exception and no
 * failed load, and its screenshot must not be blank.
 *
 * <p>Then a sweep planted in the bucket (no training), first as running with a member pending, then
 * ended: the open page must follow it to its end without a reload, then show the configs, the best
 * config, an overlaid curve per config with bands, the members linking to their run pages and the
 * findings, a finding code named like markup as text; the index must link the sweep and its
 * members; its HTML report ({@code report ID --format html}, as a file and as the dashboard serves
 * it) must have its chart and configs table, and no page may report an error.
 *
 * <p>Skipped when {@code /usr/bin/chromium} is absent, unless {@code TUNELAB_REQUIRE_CHROMIUM=1}
 * (as {@code .ci/run} sets it, having installed Chromium), where that is a failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class DashboardBrowserTest extends LiveStack {
  static final String RUN = "browser-run";
  static final int EPOCHS = 12;
  static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

  @BeforeAll
  static void needsChromium() {
    if ("1".equals(System.getenv("TUNELAB_REQUIRE_CHROMIUM"))) {
      assertTrue(
          Chromium.available(),
          Chromium.BINARY
              + " is required here (TUNELAB_REQUIRE_CHROMIUM=1): "
              + "apt-get install chromium");
    }
    Assumptions.assumeTrue(
        Chromium.available(),
        "skipped: no headless browser at "
            + Chromium.BINARY
            + " (Debian: apt-get install chromium; .ci/run installs it)");
  }

  /** What the page shows now: its status and how many epochs it has put into the document. */
  private record Seen(String status, int rows, int points) {}

  private static Seen look(Chromium browser) throws Exception {
    JsonNode v =
        Json.tree(
            browser
                .evaluate(
                    "JSON.stringify({"
                        + "status: (document.body && document.body.dataset.status) || null,"
                        + "rows: document.querySelectorAll('table.epochs tr[data-epoch]').length,"
                        + "points: document.querySelectorAll('svg circle.point[data-epoch]').length})")
                .asText()
                .getBytes(StandardCharsets.UTF_8));
    return new Seen(
        v.path("status").asText(null), v.path("rows").asInt(), v.path("points").asInt());
  }

  /** Source and target images of the runs, the target with a rejected file named like markup. */
  private static Path[] exportAndPretrain() throws Exception {
    LabeledImages fashion = fashionTrain();
    Path source = home.resolve("browser-source");
    Path target = home.resolve("browser-target");
    FashionMnistFolders.export(fashion, new int[] {0, 1, 2}, 40, 41, source);
    FashionMnistFolders.export(fashion, new int[] {5, 7, 9}, 100, 42, target);
    Files.writeString(
        target.resolve("Sneaker").resolve("<img id=pwned src=x onerror=window.pwned=1>.png"),
        "not an image\n");
    CliHarness.Result pretrain =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "browser-base",
            "--epochs",
            "1",
            "--batch-size",
            "32",
            "--wait",
            "--json");
    assertEquals(0, pretrain.code(), pretrain.err());
    return new Path[] {source, target};
  }

  @Test
  @Order(1)
  void theRunPageShowsEpochsAppearingWhileTheRunGoesOn() throws Exception {
    Path target = exportAndPretrain()[1];

    try (DashboardClient dashboard =
        DashboardClient.start(
            home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint(), null)) {
      CliHarness.Result started =
          cli.run(
              "run",
              "--data",
              target.toString(),
              "--pretrained",
              "browser-base",
              "--epochs",
              String.valueOf(EPOCHS),
              "--early-stopping-patience",
              "0",
              "--batch-size",
              "32",
              "--name",
              RUN);
      assertEquals(0, started.code(), started.err());

      List<Seen> seen = new ArrayList<>();
      boolean runningShot = false;
      try (Chromium browser =
          Chromium.open(
              dashboard.url("/runs/" + RUN),
              home.resolve("chromium-profile"),
              home.resolve("chromium.log"))) {
        long deadline = System.nanoTime() + 600_000_000_000L;
        Seen now = null;
        while (System.nanoTime() < deadline) {
          now = look(browser);
          seen.add(now);
          if ("RUNNING".equals(now.status()) && now.rows() >= 4 && !runningShot) {
            browser.screenshot(SCREENSHOTS.resolve("run-page-running.png"));
            runningShot = true;
          }
          if (now.status() != null && !now.status().equals("RUNNING")) {
            break;
          }
          Thread.sleep(250);
        }
        assertEquals("COMPLETED", now.status(), "the page followed the run to its end: " + seen);
        System.out.println(
            "DashboardBrowserTest: epoch rows seen in the open page over time: "
                + seen.stream().map(x -> x.status() + ":" + x.rows()).distinct().toList());

        TreeSet<Integer> whileRunning = new TreeSet<>();
        for (Seen s : seen) {
          if ("RUNNING".equals(s.status()) && s.rows() > 0) {
            whileRunning.add(s.rows());
          }
        }
        assertTrue(
            whileRunning.size() >= 2,
            "the open page showed epochs arriving (distinct row counts while running): " + seen);
        for (int i = 1; i < seen.size(); i++) {
          assertTrue(seen.get(i).rows() >= seen.get(i - 1).rows(), "epochs never vanish: " + seen);
        }

        JsonNode report = dashboard.get("/api/runs/" + RUN).json();
        int epochs = 0;
        for (JsonNode arm : report.path("arms")) {
          epochs += arm.path("epochs").size();
        }
        assertEquals(2 * EPOCHS, epochs);
        assertTrue(whileRunning.first() < epochs, "the first look came before the last epoch");
        assertEquals(epochs, now.rows(), "a row per epoch of each arm");
        assertEquals(4 * epochs, now.points(), "train/val loss and accuracy points per epoch");

        JsonNode page =
            Json.tree(
                browser
                    .evaluate(
                        "JSON.stringify({"
                            + "injected: document.getElementById('pwned') !== null || window.pwned !== undefined,"
                            + "rejected: document.querySelector('table.rejected').textContent,"
                            + "report: (document.getElementById('report-html') || {}).getAttribute ?"
                            + " document.getElementById('report-html').getAttribute('href') : null,"
                            + "best: document.querySelectorAll('svg circle.best').length,"
                            + "findings: document.querySelectorAll('#findings [data-code]').length,"
                            + "winner: (document.getElementById('winner') || {}).textContent || null,"
                            + "testAcc: Array.from(document.querySelectorAll('[data-field=test-accuracy]')).map(e => e.textContent)})")
                    .asText()
                    .getBytes(StandardCharsets.UTF_8));
        assertFalse(page.path("injected").asBoolean(), "a file name is never markup");
        assertTrue(
            page.path("rejected")
                .asText()
                .contains("<img id=pwned src=x onerror=window.pwned=1>.png"),
            page.path("rejected").asText());
        assertEquals("/runs/" + RUN + "/report.html", page.path("report").asText());
        assertEquals(4, page.path("best").asInt(), "best epoch of each arm, in both charts");
        assertEquals(report.path("findings").size(), page.path("findings").asInt());
        assertEquals(
            report.path("comparison").path("winner").asText(), page.path("winner").asText());
        for (JsonNode acc : page.path("testAcc")) {
          assertTrue(acc.asText().endsWith("%"), page.toString());
        }
        browser.screenshot(SCREENSHOTS.resolve("run-page-completed.png"));
      }
    }
  }

  @Test
  @Order(2)
  void theHtmlReportOfARealRunRendersCleanlyInTheBrowser() throws Exception {
    String run = RUN;
    if (!store.exists(Keys.report(RUN))) {
      // run on its own: a short run of its own instead of the one the first test watched
      run = "browser-report-run";
      Path target = exportAndPretrain()[1];
      CliHarness.Result r =
          cli.run(
              "run",
              "--data",
              target.toString(),
              "--pretrained",
              "browser-base",
              "--epochs",
              "3",
              "--batch-size",
              "32",
              "--name",
              run,
              "--wait",
              "--json");
      assertEquals(0, r.code(), r.err());
    }
    Path file = home.resolve("report.html");
    CliHarness.Result written =
        cli.run("report", run, "--format", "html", "--out", file.toString());
    assertEquals(0, written.code(), written.err());
    JsonNode report = Json.tree(cli.run("report", run).out().getBytes(StandardCharsets.UTF_8));
    String html = Files.readString(file);
    assertFalse(
        Pattern.compile("(?i)(src|href)\\s*=\\s*\"(https?:|//)").matcher(html).find(),
        "nothing loaded from elsewhere");

    try (DashboardClient dashboard =
            DashboardClient.start(
                home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint(), null);
        Chromium browser =
            Chromium.open(
                "about:blank",
                home.resolve("chromium-report-profile"),
                home.resolve("chromium-report.log"))) {
      browser.watchForErrors();
      browser.navigate(file.toUri().toString());
      JsonNode page =
          Json.tree(
              browser
                  .evaluate(
                      "JSON.stringify({"
                          + "charts: Array.from(document.querySelectorAll('svg.chart')).map(s => s.id),"
                          + "chartHeights: Array.from(document.querySelectorAll('svg.chart')).map(s => s.getBoundingClientRect().height),"
                          + "points: document.querySelectorAll('#chart-loss circle.point').length,"
                          + "bands: document.querySelectorAll('#chart-accuracy path.band').length,"
                          + "findings: document.querySelectorAll('#findings article.finding[data-code]').length,"
                          + "severities: Array.from(document.querySelectorAll('#findings article.finding')).map(f => f.dataset.severity),"
                          + "summary: (document.getElementById('findings-summary') || {}).textContent || null,"
                          + "confusion: document.querySelectorAll('table.confusion-matrix').length,"
                          + "images: Array.from(document.images).map(i => i.complete && i.naturalWidth > 0),"
                          + "resources: performance.getEntriesByType('resource').map(r => r.name),"
                          + "injected: document.getElementById('pwned') !== null || window.pwned !== undefined,"
                          + "rejected: (document.getElementById('rejected') || {}).textContent || ''})")
                  .asText()
                  .getBytes(StandardCharsets.UTF_8));
      System.out.println(
          "DashboardBrowserTest: the HTML report shows "
              + page.path("charts")
              + ", "
              + page.path("findings")
              + " findings: "
              + page.path("summary").asText());
      List<String> charts = new ArrayList<>();
      page.path("charts").forEach(c -> charts.add(c.asText()));
      for (String id :
          List.of(
              "chart-loss",
              "chart-accuracy",
              "chart-lr",
              "reliability-finetune",
              "reliability-scratch",
              "per-class-accuracy")) {
        assertTrue(charts.contains(id), id + " in " + charts);
      }
      for (JsonNode h : page.path("chartHeights")) {
        assertTrue(h.asDouble() > 50, "every chart is laid out: " + page.path("chartHeights"));
      }
      int epochs =
          report.path("arms").path("finetune").path("epochs").size()
              + report.path("arms").path("scratch").path("epochs").size();
      assertTrue(page.path("points").asInt() >= epochs, "a point per epoch and arm: " + page);
      assertTrue(
          page.path("bands").asInt() >= 2, "the validation accuracy bands of both arms: " + page);
      assertEquals(2, page.path("confusion").asInt());
      assertEquals(report.path("findings").size(), page.path("findings").asInt());
      assertTrue(page.path("findings").asInt() >= 1);
      assertTrue(
          page.path("summary").asText().matches("\\d+ critical, \\d+ warning, \\d+ info"),
          page.path("summary").asText());
      List<String> severities = new ArrayList<>();
      page.path("severities").forEach(x -> severities.add(x.asText()));
      List<String> sorted = new ArrayList<>(severities);
      sorted.sort(
          java.util.Comparator.comparingInt(
              x -> List.of("critical", "warning", "info").indexOf(x)));
      assertEquals(sorted, severities, "most severe first");
      for (JsonNode loaded : page.path("images")) {
        assertTrue(loaded.asBoolean(), "every embedded image decodes: " + page.path("images"));
      }
      assertEquals(0, page.path("resources").size(), "nothing fetched: " + page.path("resources"));
      assertFalse(page.path("injected").asBoolean(), "a file name is never markup");
      assertTrue(
          page.path("rejected")
              .asText()
              .contains("<img id=pwned src=x onerror=window.pwned=1>.png"));
      assertEquals(List.of(), browser.errors(), "no console errors, exceptions or failed loads");

      Path shot = SCREENSHOTS.resolve("html-report.png");
      browser.screenshotFullPage(shot);
      BufferedImage image = ImageIO.read(shot.toFile());
      assertTrue(
          image.getWidth() >= 1000 && image.getHeight() >= 2000,
          "the whole page: " + image.getWidth() + "x" + image.getHeight());
      Set<Integer> colours = new HashSet<>();
      long ink = 0;
      long sampled = 0;
      for (int y = 0; y < image.getHeight(); y += 2) {
        for (int x = 0; x < image.getWidth(); x += 2) {
          int rgb = image.getRGB(x, y) & 0xffffff;
          colours.add(rgb);
          sampled++;
          int r = rgb >> 16;
          int g = (rgb >> 8) & 0xff;
          int b = rgb & 0xff;
          if (r + g + b < 600) {
            ink++;
          }
        }
      }
      assertTrue(colours.size() > 500, "a page of charts has many colours: " + colours.size());
      assertTrue(
          ink > sampled / 50,
          "not blank: " + ink + " of " + sampled + " sampled pixels are not near white");

      // the same page as the dashboard serves it, under its content security policy
      browser.navigate(dashboard.url("/runs/" + run + "/report.html"));
      JsonNode served =
          Json.tree(
              browser
                  .evaluate(
                      "JSON.stringify({"
                          + "charts: document.querySelectorAll('svg.chart').length,"
                          + "images: Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)})")
                  .asText()
                  .getBytes(StandardCharsets.UTF_8));
      assertEquals(charts.size(), served.path("charts").asInt());
      assertTrue(served.path("images").asBoolean());
      assertEquals(List.of(), browser.errors(), "no error under the dashboard's policy either");
    }
  }

  @Test
  @Order(3)
  void theSweepPageAndTheSweepHtmlReportRenderInTheBrowser() throws Exception {
    String sweep = "browser-sweep";
    io.tunelab.workflows.model.SweepSpec spec = PlantedSweep.plant(store, sweep);
    PlantedSweep.unfinish(store, spec);
    String last = spec.members().get(spec.members().size() - 1).runId();
    Path file = home.resolve("sweep-report.html");

    try (DashboardClient dashboard =
            DashboardClient.start(
                home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint(), null);
        Chromium browser =
            Chromium.open(
                "about:blank",
                home.resolve("chromium-sweep-profile"),
                home.resolve("chromium-sweep.log"))) {
      browser.watchForErrors();
      browser.navigate(dashboard.url("/sweeps/" + sweep));
      // live: the open page follows the sweep from running, its last member pending, to its end
      String rowStatus =
          "(document.querySelector('#members tr[data-run=\"" + last + "\"]') || {dataset: {}})";
      String seenRunning = awaitText(browser, rowStatus + ".dataset.status", "PENDING");
      assertEquals("PENDING", seenRunning);
      assertEquals(
          "RUNNING", browser.evaluate("document.body.dataset.status").asText(), "live at first");
      PlantedSweep.plant(store, sweep);
      assertEquals(
          "COMPLETED",
          awaitText(browser, rowStatus + ".dataset.status", "COMPLETED"),
          "the member's end reached the open page without a reload");
      JsonNode report = Json.tree(cli.run("report", sweep).out().getBytes(StandardCharsets.UTF_8));
      CliHarness.Result written =
          cli.run("report", sweep, "--format", "html", "--out", file.toString());
      assertEquals(0, written.code(), written.err());

      JsonNode page = null;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline) {
        page =
            Json.tree(
                browser
                    .evaluate(
                        "JSON.stringify({"
                            + "status: document.body.dataset.status || null,"
                            + "configs: Array.from(document.querySelectorAll('#configs tr[data-config]')).map(r => r.dataset.config),"
                            + "bestRow: (document.querySelector('#configs tr.best') || {dataset: {}}).dataset.config || null,"
                            + "best: (document.getElementById('best-config') || {dataset: {}}).dataset.config || null,"
                            + "curves: Array.from(document.querySelectorAll('#sweep-curves polyline.curve')).map(c => c.dataset.config),"
                            + "bands: document.querySelectorAll('#sweep-curves path.band').length,"
                            + "members: Array.from(document.querySelectorAll('#members tr[data-run] a')).map(a => a.getAttribute('href')),"
                            + "findings: Array.from(document.querySelectorAll('#findings [data-code]')).map(f => f.dataset.code),"
                            + "memberCodes: Array.from(document.querySelectorAll('#members [data-code]')).map(f => f.textContent),"
                            + "testAcc: Array.from(document.querySelectorAll('#configs [data-field=test-accuracy]')).map(e => e.textContent),"
                            + "report: (document.getElementById('report-html') || {getAttribute: () => null}).getAttribute('href'),"
                            + "injected: document.getElementById('pwned') !== null || window.pwned !== undefined})")
                    .asText()
                    .getBytes(StandardCharsets.UTF_8));
        if (!page.path("status").isNull() && page.path("members").size() > 0) {
          break;
        }
        Thread.sleep(200);
      }
      assertEquals("COMPLETED", page.path("status").asText(), page.toString());
      assertEquals(List.of("1", "2", "3"), texts(page.path("configs")));
      assertEquals(report.path("best").asText(), page.path("best").asText());
      assertEquals(report.path("best").asText(), page.path("bestRow").asText());
      assertEquals(3, page.path("curves").size(), "a curve per config: " + page);
      assertTrue(page.path("bands").asInt() >= 2, "two seeds give bands: " + page);
      List<String> members = texts(page.path("members"));
      assertEquals(6, members.size(), page.toString());
      assertTrue(members.contains("/runs/" + sweep + "-c2-s1"), members.toString());
      List<String> findings = new ArrayList<>();
      report.path("findings").forEach(f -> findings.add(f.path("code").asText()));
      assertEquals(findings.size(), page.path("findings").size(), page.toString());
      assertTrue(texts(page.path("memberCodes")).contains(PlantedSweep.HOSTILE_CODE));
      assertTrue(texts(page.path("memberCodes")).contains("lr-too-high"));
      assertTrue(texts(page.path("testAcc")).get(1).endsWith("%"), page.toString());
      assertEquals("/sweeps/" + sweep + "/report.html", page.path("report").asText());
      assertFalse(page.path("injected").asBoolean(), "a finding code is never markup");
      assertEquals(List.of(), browser.errors(), "no console errors, exceptions or failed loads");
      browser.screenshotFullPage(SCREENSHOTS.resolve("sweep-page.png"));

      // the index links the sweep to its page and each member to its sweep
      browser.navigate(dashboard.url("/"));
      JsonNode index = null;
      deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        index =
            Json.tree(
                browser
                    .evaluate(
                        "JSON.stringify({"
                            + "sweep: (document.querySelector('tr[data-run=\""
                            + sweep
                            + "\"] a') || {getAttribute: () => null}).getAttribute('href'),"
                            + "members: document.querySelectorAll('a.sweep').length})")
                    .asText()
                    .getBytes(StandardCharsets.UTF_8));
        if (!index.path("sweep").isNull()) {
          break;
        }
        Thread.sleep(200);
      }
      assertEquals("/sweeps/" + sweep, index.path("sweep").asText(), index.toString());
      assertTrue(index.path("members").asInt() >= 6, index.toString());

      // report ID --format html, opened as a file, then as the dashboard serves it
      for (String url :
          List.of(file.toUri().toString(), dashboard.url("/sweeps/" + sweep + "/report.html"))) {
        browser.navigate(url);
        JsonNode html =
            Json.tree(
                browser
                    .evaluate(
                        "JSON.stringify({"
                            + "charts: document.querySelectorAll('svg.chart').length,"
                            + "heights: Array.from(document.querySelectorAll('svg.chart')).map(s => s.getBoundingClientRect().height),"
                            + "configs: document.querySelectorAll('#configs-table tbody tr').length,"
                            + "members: document.querySelectorAll('#members-table [data-run]').length,"
                            + "injected: document.getElementById('pwned') !== null || window.pwned !== undefined})")
                    .asText()
                    .getBytes(StandardCharsets.UTF_8));
        assertTrue(html.path("charts").asInt() >= 1, url + ": the SVG chart " + html);
        for (JsonNode h : html.path("heights")) {
          assertTrue(h.asDouble() > 50, url + ": laid out " + html);
        }
        assertEquals(3, html.path("configs").asInt(), url + ": the configs table " + html);
        assertTrue(html.path("members").asInt() >= 6, url + ": the members " + html);
        assertFalse(html.path("injected").asBoolean(), url);
        assertEquals(List.of(), browser.errors(), url + ": no console errors or failed loads");
      }
      browser.screenshotFullPage(SCREENSHOTS.resolve("sweep-html-report.png"));
    }
  }

  /** Polls a script expression in the page until it gives {@code want} (30 s); its last value. */
  private static String awaitText(Chromium browser, String expression, String want)
      throws Exception {
    String now = null;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      now = browser.evaluate("String(" + expression + ")").asText();
      if (want.equals(now)) {
        break;
      }
      Thread.sleep(200);
    }
    return now;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }
}
