package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.storage.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 5: the run page in a real browser. An embedded stack, a worker and the dashboard
 * on free ports; a run of twelve epochs per arm; its page open in Debian's headless Chromium
 * while the run goes on. The page, polling the JSON, must put each epoch into the document
 * (a table row and SVG points per epoch) as it arrives, without a reload; a rejected file named
 * like markup must show as text. Screenshots go to {@code target/dashboard-screenshots/}.
 *
 * <p>Skipped when {@code /usr/bin/chromium} is absent, unless {@code TUNELAB_REQUIRE_CHROMIUM=1}
 * (as {@code .ci/run} sets it, having installed Chromium), where that is a failure.
 */
class DashboardBrowserTest extends LiveStack {
  static final String RUN = "browser-run";
  static final int EPOCHS = 12;
  static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

  @BeforeAll
  static void needsChromium() {
    if ("1".equals(System.getenv("TUNELAB_REQUIRE_CHROMIUM"))) {
      assertTrue(Chromium.available(), Chromium.BINARY + " is required here (TUNELAB_REQUIRE_CHROMIUM=1): "
          + "apt-get install chromium");
    }
    Assumptions.assumeTrue(Chromium.available(), "skipped: no headless browser at " + Chromium.BINARY
        + " (Debian: apt-get install chromium; .ci/run installs it)");
  }

  /** What the page shows now: its status and how many epochs it has put into the document. */
  private record Seen(String status, int rows, int points) {}

  private static Seen look(Chromium browser) throws Exception {
    JsonNode v = Json.tree(browser.evaluate("JSON.stringify({"
        + "status: (document.body && document.body.dataset.status) || null,"
        + "rows: document.querySelectorAll('table.epochs tr[data-epoch]').length,"
        + "points: document.querySelectorAll('svg circle.point[data-epoch]').length})")
        .asText().getBytes(StandardCharsets.UTF_8));
    return new Seen(v.path("status").asText(null), v.path("rows").asInt(), v.path("points").asInt());
  }

  @Test
  void theRunPageShowsEpochsAppearingWhileTheRunGoesOn() throws Exception {
    LabeledImages fashion = fashionTrain();
    Path source = home.resolve("browser-source");
    Path target = home.resolve("browser-target");
    FashionMnistFolders.export(fashion, new int[] {0, 1, 2}, 40, 41, source);
    FashionMnistFolders.export(fashion, new int[] {5, 7, 9}, 100, 42, target);
    Files.writeString(target.resolve("Sneaker").resolve("<img id=pwned src=x onerror=window.pwned=1>.png"),
        "not an image\n");
    CliHarness.Result pretrain = cli.run("pretrain", "--data", source.toString(), "--name", "browser-base",
        "--epochs", "1", "--batch-size", "32", "--wait", "--json");
    assertEquals(0, pretrain.code(), pretrain.err());

    try (DashboardClient dashboard = DashboardClient.start(home, stack.endpoints().temporalTarget(),
        stack.endpoints().s3Endpoint(), null)) {
      CliHarness.Result started = cli.run("run", "--data", target.toString(), "--pretrained",
          "browser-base", "--epochs", String.valueOf(EPOCHS), "--early-stopping-patience", "0",
          "--batch-size", "32", "--name", RUN);
      assertEquals(0, started.code(), started.err());

      List<Seen> seen = new ArrayList<>();
      boolean runningShot = false;
      try (Chromium browser = Chromium.open(dashboard.url("/runs/" + RUN), home.resolve("chromium-profile"),
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
        System.out.println("DashboardBrowserTest: epoch rows seen in the open page over time: "
            + seen.stream().map(x -> x.status() + ":" + x.rows()).distinct().toList());

        TreeSet<Integer> whileRunning = new TreeSet<>();
        for (Seen s : seen) {
          if ("RUNNING".equals(s.status()) && s.rows() > 0) {
            whileRunning.add(s.rows());
          }
        }
        assertTrue(whileRunning.size() >= 2,
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

        JsonNode page = Json.tree(browser.evaluate("JSON.stringify({"
            + "injected: document.getElementById('pwned') !== null || window.pwned !== undefined,"
            + "rejected: document.querySelector('table.rejected').textContent,"
            + "report: (document.getElementById('report-html') || {}).getAttribute ?"
            + " document.getElementById('report-html').getAttribute('href') : null,"
            + "best: document.querySelectorAll('svg circle.best').length,"
            + "findings: document.querySelectorAll('#findings [data-code]').length,"
            + "winner: (document.getElementById('winner') || {}).textContent || null,"
            + "testAcc: Array.from(document.querySelectorAll('[data-field=test-accuracy]')).map(e => e.textContent)})")
            .asText().getBytes(StandardCharsets.UTF_8));
        assertFalse(page.path("injected").asBoolean(), "a file name is never markup");
        assertTrue(page.path("rejected").asText().contains("<img id=pwned src=x onerror=window.pwned=1>.png"),
            page.path("rejected").asText());
        assertEquals("/runs/" + RUN + "/report.html", page.path("report").asText());
        assertEquals(4, page.path("best").asInt(), "best epoch of each arm, in both charts");
        assertEquals(report.path("findings").size(), page.path("findings").asInt());
        assertEquals(report.path("comparison").path("winner").asText(), page.path("winner").asText());
        for (JsonNode acc : page.path("testAcc")) {
          assertTrue(acc.asText().endsWith("%"), page.toString());
        }
        browser.screenshot(SCREENSHOTS.resolve("run-page-completed.png"));
      }
    }
  }
}
