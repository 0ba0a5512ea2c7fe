package io.tunelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.cli.dashboard.DashboardData;
import io.tunelab.cli.dashboard.DashboardServer;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.storage.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A dashboard served in-process against a live stack, and plain HTTP requests to it. */
final class DashboardClient implements AutoCloseable {
  record Response(int status, String type, String body, HttpResponse<String> raw) {
    JsonNode json() {
      return Json.tree(body.getBytes(StandardCharsets.UTF_8));
    }
  }

  final DashboardServer server;
  private final Services services;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private DashboardClient(DashboardServer server, Services services) {
    this.server = server;
    this.services = services;
  }

  /** Serves the dashboard on a free port against the stack at these endpoints. */
  static DashboardClient start(
      Path home, String temporalTarget, String s3Endpoint, String temporalUi) {
    ConnectionOptions options = new ConnectionOptions();
    options.home = home;
    options.temporalTarget = temporalTarget;
    options.namespace = "default";
    options.taskQueue = "tunelab";
    options.s3Endpoint = s3Endpoint;
    options.bucket = "tunelab";
    Services services = new Services(options);
    DashboardServer server =
        DashboardServer.bind(0, "--port").serve(new DashboardData(services, temporalUi), "test");
    return new DashboardClient(server, services);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build());
  }

  Response send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(
        r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
  }

  @Override
  public void close() {
    server.close();
    services.close();
  }
}
