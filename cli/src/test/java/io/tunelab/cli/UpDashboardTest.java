package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tunelab up} serves the dashboard (or not, with {@code --no-dashboard}). */
@Tag("integration")
class UpDashboardTest {
  @TempDir Path home;

  @Test
  void upServesTheDashboardAndStopsItOnSigterm() throws Exception {
    try (CliProcess up =
        CliProcess.start(
            "up",
            "--home",
            home.toString(),
            "--temporal-port",
            "0",
            "--s3-port",
            "0",
            "--dashboard-port",
            "0",
            "--no-worker")) {
      Matcher url = up.awaitLine("^  dashboard:  (http://127\\.0\\.0\\.1:(\\d+)/)$", 180);
      up.awaitLine("^Ctrl-C stops everything\\.$", 30);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> index =
          http.send(
              HttpRequest.newBuilder(URI.create(url.group(1))).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, index.statusCode());
      assertTrue(index.body().contains("<h1>Runs</h1>"), index.body());
      HttpResponse<String> runs =
          http.send(
              HttpRequest.newBuilder(URI.create(url.group(1) + "api/runs")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, runs.statusCode(), runs.body());
      assertEquals("[ ]", runs.body().strip());
      up.terminate(60);
      assertThrows(
          ConnectException.class,
          () -> new Socket("127.0.0.1", Integer.parseInt(url.group(2))).close(),
          "the dashboard stopped with the rest");
    }
  }

  @Test
  void noDashboardServesNone() throws Exception {
    try (CliProcess up =
        CliProcess.start(
            "up",
            "--home",
            home.toString(),
            "--temporal-port",
            "0",
            "--s3-port",
            "0",
            "--no-dashboard",
            "--no-worker")) {
      up.awaitLine("^Ctrl-C stops everything\\.$", 180);
      assertFalse(up.output().contains("dashboard"), up.output());
      up.terminate(60);
    }
  }

  @Test
  void aTakenDashboardPortIsBadUsageBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CliHarness.Result r =
          CliHarness.raw(
              "up",
              "--home",
              home.toString(),
              "--temporal-port",
              "0",
              "--s3-port",
              "0",
              "--dashboard-port",
              String.valueOf(taken.getLocalPort()));
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("--dashboard-port " + taken.getLocalPort()), r.err());
      assertTrue(r.err().contains("in use"), r.err());
      assertFalse(Files.exists(home.resolve("objects")), "the stack did not start");
    }
  }

  @Test
  void theDefaultPortIs8234() {
    CliHarness.Result up = CliHarness.raw("up", "--help");
    CliHarness.Result dashboard = CliHarness.raw("dashboard", "--help");
    if (System.getenv("TUNELAB_DASHBOARD_PORT") == null) {
      assertTrue(up.out().replaceAll("\\s+", " ").contains("default: 8234"), up.out());
      assertTrue(
          dashboard.out().replaceAll("\\s+", " ").contains("default: 8234"), dashboard.out());
    }
    assertTrue(up.out().contains("--no-dashboard"), up.out());
    assertTrue(dashboard.out().contains("--temporal-ui"), dashboard.out());
  }
}
