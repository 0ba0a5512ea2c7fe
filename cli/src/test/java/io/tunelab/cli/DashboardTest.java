package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The dashboard's pages and JSON over HTTP against a live stack: the runs list and a run's live
 * report while the run goes on and after it, the HTML report, escaping of user-controlled strings
 * (a rejected file named like markup), refusals (unknown runs, other methods, foreign Host headers,
 * other interfaces), no credentials, and the {@code dashboard} verb; a sweep planted in the bucket:
 * its JSON (the same as {@code report ID}), page, HTML report and entries in the list.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class DashboardTest extends LiveStack {
  static final String RUN = "dash-run";
  static final String UI = "http://temporal-ui.example:8080/";
  static final String HOSTILE = "<img id=pwned src=x onerror=alert(1)>.png";
  static DashboardClient dashboard;

  @BeforeAll
  static void pretrainAndStartARun() throws Exception {
    LabeledImages fashion = fashionTrain();
    Path source = home.resolve("dash-source");
    Path target = home.resolve("dash-target");
    FashionMnistFolders.export(fashion, new int[] {0, 1, 2}, 40, 31, source);
    FashionMnistFolders.export(fashion, new int[] {5, 7, 9}, 50, 32, target);
    Files.writeString(target.resolve("Sandal").resolve(HOSTILE), "not an image\n");
    CliHarness.Result pretrain =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "dash-base",
            "--epochs",
            "1",
            "--batch-size",
            "32",
            "--wait",
            "--json");
    assertEquals(0, pretrain.code(), pretrain.err());
    dashboard =
        DashboardClient.start(
            home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint(), UI);
    CliHarness.Result started =
        cli.run(
            "run",
            "--data",
            target.toString(),
            "--pretrained",
            "dash-base",
            "--epochs",
            "3",
            "--early-stopping-patience",
            "0",
            "--batch-size",
            "32",
            "--name",
            RUN);
    assertEquals(0, started.code(), started.err());
  }

  @AfterAll
  static void stopDashboard() {
    if (dashboard != null) {
      dashboard.close();
    }
  }

  private static int epochs(JsonNode report) {
    int n = 0;
    for (JsonNode arm : report.path("arms")) {
      n += arm.path("epochs").size();
    }
    return n;
  }

  @Test
  @Order(1)
  void aRunningRunShowsItsEpochsSoFarThenItsEnd() throws Exception {
    JsonNode partial = null;
    JsonNode listedWhileRunning = null;
    JsonNode report = null;
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (System.nanoTime() < deadline) {
      DashboardClient.Response r = dashboard.get("/api/runs/" + RUN);
      assertEquals(200, r.status(), r.body());
      assertTrue(r.type().startsWith("application/json"), r.type());
      report = r.json();
      String status = report.path("status").asText();
      if (status.equals("RUNNING") && epochs(report) > 0 && partial == null) {
        partial = report;
        for (JsonNode run : dashboard.get("/api/runs").json()) {
          if (run.path("runId").asText().equals(RUN)) {
            listedWhileRunning = run;
          }
        }
      }
      if (!status.equals("RUNNING")) {
        break;
      }
      Thread.sleep(300);
    }
    assertNotNull(partial, "the live report showed epochs while the run was going");
    assertNotNull(listedWhileRunning);
    assertEquals(
        "RUNNING", listedWhileRunning.path("status").asText(), listedWhileRunning.toString());
    assertEquals("COMPLETED", report.path("status").asText(), report.toString());
    assertTrue(
        epochs(partial) < epochs(report),
        "epochs grew: " + epochs(partial) + " then " + epochs(report));
    assertEquals(6, epochs(report), "3 epochs of both arms");
  }

  @Test
  @Order(2)
  void apiRunIsTheRunsReportJson() throws Exception {
    awaitClosed(RUN);
    JsonNode api = dashboard.get("/api/runs/" + RUN).json();
    CliHarness.Result report = cli.run("report", RUN);
    assertEquals(0, report.code(), report.err());
    assertEquals(Json.tree(report.out().getBytes(StandardCharsets.UTF_8)), api);
    for (String field : List.of("runId", "status", "dataset", "arms", "comparison", "findings")) {
      assertTrue(api.has(field), field);
    }
    assertEquals(
        HOSTILE,
        api.path("dataset")
            .path("rejected")
            .get(0)
            .path("path")
            .asText()
            .substring("Sandal/".length()));
    assertTrue(api.path("arms").path("finetune").path("test").has("acc"));
  }

  @Test
  @Order(3)
  void apiRunsListsRunsNewestFirstWithLiveStatusAndTemporalLinks() throws Exception {
    DashboardClient.Response r = dashboard.get("/api/runs");
    assertEquals(200, r.status());
    JsonNode runs = r.json();
    assertTrue(runs.size() >= 2, runs.toString());
    JsonNode newest = runs.get(0);
    assertEquals(RUN, newest.path("runId").asText());
    for (String field :
        List.of("runId", "status", "dataset", "datasetVersion", "trigger", "startedAt")) {
      assertTrue(newest.has(field), field);
    }
    assertEquals("COMPLETED", newest.path("status").asText());
    assertEquals("cli", newest.path("trigger").asText());
    assertEquals(
        "http://temporal-ui.example:8080/namespaces/default/workflows/" + RUN,
        newest.path("temporalUi").asText());
    List<String> started = new ArrayList<>();
    runs.forEach(run -> started.add(run.path("startedAt").asText()));
    List<String> sorted = new ArrayList<>(started);
    sorted.sort(Collections.reverseOrder());
    assertEquals(sorted, started, "newest first");
    assertTrue(runs.findValuesAsText("kind").contains("pretrain"));
  }

  @Test
  @Order(4)
  void pagesAreSelfContainedAndNeverEmbedDataAsMarkup() throws Exception {
    DashboardClient.Response index = dashboard.get("/");
    assertEquals(200, index.status());
    assertTrue(index.type().startsWith("text/html"), index.type());
    String csp = index.raw().headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'nonce-"), csp);
    assertTrue(index.body().contains("fetch(\"/api/runs\""), "the list polls the API");

    DashboardClient.Response page = dashboard.get("/runs/" + RUN);
    assertEquals(200, page.status());
    assertTrue(page.body().contains("data-run=\"" + RUN + "\""));
    assertTrue(
        page.body()
            .contains(
                "<a id=\"temporal-ui\" href=\"http://temporal-ui.example:8080/namespaces/default/workflows/"
                    + RUN
                    + "\""),
        "link into the Temporal web UI");
    for (String body : List.of(index.body(), page.body())) {
      String withoutUiLink = body.replace("href=\"http://temporal-ui.example:8080/", "");
      assertFalse(
          withoutUiLink.matches("(?s).*(src|href)=\"(https?:)?//.*"), "no external resource");
      assertFalse(body.contains("<link"), "no external style sheet");
      assertFalse(body.contains("innerHTML"), "data go in as text");
      assertFalse(body.contains("pwned"), "run data are fetched as JSON, not put into the page");
    }

    DashboardClient.Response html = dashboard.get("/runs/" + RUN + "/report.html");
    assertEquals(200, html.status());
    assertTrue(
        html.body().contains("&lt;img id=pwned src=x onerror=alert(1)&gt;.png"), "escaped path");
    assertFalse(html.body().contains("<img id=pwned"), "no markup from data");
    assertTrue(html.body().contains("<h2>Findings</h2>"));
  }

  @Test
  @Order(5)
  void unknownRunsOtherMethodsAndForeignHostsAreRefused() throws Exception {
    assertEquals(404, dashboard.get("/runs/no-such-run").status());
    DashboardClient.Response api = dashboard.get("/api/runs/no-such-run");
    assertEquals(404, api.status());
    assertTrue(api.json().path("error").asText().contains("no-such-run"));
    assertEquals(404, dashboard.get("/runs/no-such-run/report.html").status());
    assertEquals(404, dashboard.get("/api/runs/..%2Fx").status());
    assertEquals(404, dashboard.get("/nothing-here").status());
    assertEquals(
        405,
        dashboard
            .send(
                HttpRequest.newBuilder(URI.create(dashboard.url("/api/runs")))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build())
            .status());

    // a page elsewhere that rebinds its own name to 127.0.0.1 sends its own Host
    try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), dashboard.server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/runs HTTP/1.1\r\nHost: attacker.example:"
                  + dashboard.server.port()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertTrue(status.startsWith("HTTP/1.1 403"), status);
    }
  }

  @Test
  @Order(6)
  void noCredentialInAnyResponse() throws Exception {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    StringBuilder all = new StringBuilder();
    for (String path :
        List.of(
            "/",
            "/api/runs",
            "/runs/" + RUN,
            "/api/runs/" + RUN,
            "/runs/" + RUN + "/report.html")) {
      all.append(dashboard.get(path).body());
    }
    assertFalse(all.toString().contains(creds.accessKey()), "no access key");
    assertFalse(all.toString().contains(creds.secretKey()), "no secret key");
  }

  @Test
  @Order(7)
  void listensOnLoopbackOnly() throws Exception {
    List<InetAddress> others = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          others.add(address);
        }
      }
    }
    Assumptions.assumeFalse(others.isEmpty(), "this machine has no address but loopback");
    for (InetAddress address : others) {
      try (Socket socket = new Socket()) {
        assertThrows(
            ConnectException.class,
            () -> socket.connect(new InetSocketAddress(address, dashboard.server.port()), 2000),
            "not reachable on " + address);
      }
    }
  }

  @Test
  @Order(8)
  void theDashboardVerbRefusesABadUiAddressATakenPortAndDeadServices() throws Exception {
    CliHarness.Result badUi =
        cli.run("dashboard", "--port", "0", "--temporal-ui", "javascript:alert(1)");
    assertEquals(2, badUi.code(), badUi.err());
    assertTrue(badUi.err().contains("--temporal-ui"), badUi.err());

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CliHarness.Result inUse =
          cli.run("dashboard", "--port", String.valueOf(taken.getLocalPort()));
      assertEquals(2, inUse.code(), inUse.err());
      assertTrue(
          inUse.err().contains("--port " + taken.getLocalPort()) && inUse.err().contains("in use"),
          inUse.err());
    }

    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      dead = s.getLocalPort();
    }
    CliHarness.Result down =
        CliHarness.raw(
            "dashboard",
            "--port",
            "0",
            "--home",
            home.toString(),
            "--temporal-target",
            "127.0.0.1:" + dead,
            "--s3-endpoint",
            "http://127.0.0.1:" + dead);
    assertEquals(3, down.code(), down.err());
  }

  @Test
  @Order(9)
  void theDashboardVerbServesAConfiguredStackUntilSigterm() throws Exception {
    try (CliProcess verb =
        CliProcess.start(
            "dashboard",
            "--port",
            "0",
            "--home",
            home.toString(),
            "--temporal-target",
            stack.endpoints().temporalTarget(),
            "--s3-endpoint",
            stack.endpoints().s3Endpoint(),
            "--temporal-ui",
            "https://ui.example")) {
      Matcher url = verb.awaitLine("^tunelab dashboard: (http://127\\.0\\.0\\.1:(\\d+)/)$", 120);
      String base = url.group(1);
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String runs =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "api/runs")).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      JsonNode list = Json.tree(runs.getBytes(StandardCharsets.UTF_8));
      assertEquals(RUN, list.get(0).path("runId").asText());
      assertEquals(
          "https://ui.example/namespaces/default/workflows/" + RUN,
          list.get(0).path("temporalUi").asText());
      verb.terminate(30);
      assertThrows(
          ConnectException.class,
          () -> new Socket("127.0.0.1", Integer.parseInt(url.group(2))).close(),
          "the port is closed after SIGTERM");
    }
  }

  @Test
  @Order(10)
  void aRunTemporalDoesNotKnowShowsItsEpochsFromTheBucket() throws Exception {
    // a copy of the finished run's record and epoch files under another id, as if its
    // workflow had been lost with the service before the report was written
    String lost = "lost-run";
    for (String key : store.list("runs/" + RUN + "/")) {
      if (key.endsWith("/metrics.json") || key.endsWith("/latest.json")) {
        store.put(key.replace("runs/" + RUN + "/", "runs/" + lost + "/"), store.get(key));
      }
    }
    com.fasterxml.jackson.databind.node.ObjectNode record =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            Json.tree(store.get("runs/" + RUN + "/run.json"));
    record.put("runId", lost);
    record.put("status", "RUNNING");
    record.putNull("finishedAt");
    ((com.fasterxml.jackson.databind.node.ObjectNode) record.get("experiment")).put("runId", lost);
    store.put("runs/" + lost + "/run.json", Json.bytes(record), "application/json");

    JsonNode original = dashboard.get("/api/runs/" + RUN).json();
    DashboardClient.Response r = dashboard.get("/api/runs/" + lost);
    assertEquals(200, r.status(), r.body());
    JsonNode report = r.json();
    assertEquals(lost, report.path("runId").asText());
    assertEquals("RUNNING", report.path("status").asText(), "the last recorded status");
    assertTrue(report.path("phase").asText().contains("bucket"), report.path("phase").asText());
    assertEquals(original.path("dataset").path("classes"), report.path("dataset").path("classes"));
    for (String arm : List.of("finetune", "scratch")) {
      JsonNode a = report.path("arms").path(arm);
      assertEquals(original.path("arms").path(arm).path("epochs"), a.path("epochs"), arm);
      assertEquals(original.path("arms").path(arm).path("bestEpoch"), a.path("bestEpoch"), arm);
    }
    assertEquals(200, dashboard.get("/runs/" + lost).status());
  }

  @Test
  @Order(11)
  void aSweepHasItsPageItsLiveReportJsonAndItsHtmlReport() throws Exception {
    String sweep = "dash-sweep";
    PlantedSweep.plant(store, sweep);

    DashboardClient.Response api = dashboard.get("/api/sweeps/" + sweep);
    assertEquals(200, api.status(), api.body());
    JsonNode report = api.json();
    CliHarness.Result printed = cli.run("report", sweep);
    assertEquals(0, printed.code(), printed.err());
    assertEquals(
        Json.tree(printed.out().getBytes(StandardCharsets.UTF_8)), report, "report ID's JSON");
    assertEquals("sweep", report.path("kind").asText());
    assertEquals(3, report.path("configs").size());
    assertEquals(2, report.path("best").asInt(), report.toString());
    assertEquals(report, dashboard.get("/api/runs/" + sweep).json(), "a sweep's id as a run's");
    for (JsonNode config : report.path("configs")) {
      assertEquals(2, config.path("runs").size(), config.toString());
      assertTrue(config.path("curve").path("epoch").size() > 0, config.toString());
    }

    JsonNode listed = null;
    int members = 0;
    for (JsonNode run : dashboard.get("/api/runs").json()) {
      if (run.path("runId").asText().equals(sweep)) {
        listed = run;
      }
      members += run.path("sweep").asText().equals(sweep) ? 1 : 0;
    }
    assertNotNull(listed, "the sweep is listed");
    assertEquals("sweep", listed.path("kind").asText());
    assertEquals(6, members, "its members are listed with their sweep");

    DashboardClient.Response page = dashboard.get("/sweeps/" + sweep);
    assertEquals(200, page.status());
    assertTrue(page.body().contains("data-sweep=\"" + sweep + "\""));
    assertTrue(page.body().contains("pollReport(\"/api/sweeps/\""), "the page polls the API");
    assertFalse(page.body().contains("pwned"), "sweep data are fetched as JSON, not put in");
    assertTrue(
        page.body().contains("/namespaces/default/workflows/" + sweep), "link into Temporal");
    DashboardClient.Response asRun = dashboard.get("/runs/" + sweep);
    assertEquals(302, asRun.status());
    assertEquals(
        "/sweeps/" + sweep, asRun.raw().headers().firstValue("Location").orElse(""), "redirect");

    DashboardClient.Response html = dashboard.get("/sweeps/" + sweep + "/report.html");
    assertEquals(200, html.status());
    assertTrue(html.body().contains("configs-table"), "the configs table");
    assertFalse(html.body().contains("<img id=pwned"), "no markup from data");
    assertTrue(
        html.raw()
            .headers()
            .firstValue("Content-Security-Policy")
            .orElse("")
            .contains("default-src 'none'"));

    assertEquals(404, dashboard.get("/api/sweeps/no-such-sweep").status());
    assertEquals(404, dashboard.get("/sweeps/no-such-sweep").status());
    assertEquals(404, dashboard.get("/sweeps/" + RUN).status(), "a run is no sweep");
    assertEquals(404, dashboard.get("/sweeps/no-such-sweep/report.html").status());
  }
}
