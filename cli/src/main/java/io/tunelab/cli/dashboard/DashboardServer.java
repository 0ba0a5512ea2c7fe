package io.tunelab.cli.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tunelab.cli.UnreachableException;
import io.tunelab.cli.UsageException;
import io.tunelab.report.ReportRenderer;
import io.tunelab.storage.Json;
import io.tunelab.sweep.SweepRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local dashboard: a small web server on 127.0.0.1 (the JDK's own HTTP server) with the runs
 * list, a live page per run and the JSON behind them.
 *
 * <ul>
 *   <li>{@code /} the runs, newest first, refreshed every two seconds;
 *   <li>{@code /runs/<id>} a run: curves of both arms, epochs, test accuracies, comparison,
 *       findings, rejected files; refreshed every second and a half while it runs;
 *   <li>{@code /runs/<id>/report.html} the run's HTML report;
 *   <li>{@code /api/runs} and {@code /api/runs/<id>} the JSON: the list and the live report;
 *   <li>{@code /sweeps/<id>} a sweep: its configs with means and intervals over seeds, the verdict,
 *       the overlaid validation curves and the members, refreshed while it runs; {@code
 *       /sweeps/<id>/report.html} its HTML report; {@code /api/sweeps/<id>} its live report JSON.
 * </ul>
 *
 * <p>Every page is self-contained (inline script and style, no external resource); data reach the
 * page as JSON and are put into the document as text, never as markup. Only requests addressed to
 * the loopback host are answered, so a web page elsewhere cannot read the dashboard through a
 * rebound DNS name.
 */
public final class DashboardServer implements AutoCloseable {
  /** The default port of the dashboard. */
  public static final int DEFAULT_PORT = 8234;

  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
  private static final Pattern RUN = Pattern.compile("/runs/([A-Za-z0-9][A-Za-z0-9._-]{0,99})");
  private static final Pattern RUN_REPORT =
      Pattern.compile("/runs/([A-Za-z0-9][A-Za-z0-9._-]{0,99})/report\\.html");
  private static final Pattern API_RUN =
      Pattern.compile("/api/runs/([A-Za-z0-9][A-Za-z0-9._-]{0,99})");
  private static final Pattern SWEEP = Pattern.compile("/sweeps/([A-Za-z0-9][A-Za-z0-9._-]{0,99})");
  private static final Pattern SWEEP_REPORT =
      Pattern.compile("/sweeps/([A-Za-z0-9][A-Za-z0-9._-]{0,99})/report\\.html");
  private static final Pattern API_SWEEP =
      Pattern.compile("/api/sweeps/([A-Za-z0-9][A-Za-z0-9._-]{0,99})");
  private static final Pattern LOCAL_HOST =
      Pattern.compile(
          "(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d{1,5})?", Pattern.CASE_INSENSITIVE);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final ExecutorService executor;
  private DashboardData data;
  private DashboardPages pages;

  private DashboardServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds the dashboard's port on 127.0.0.1 without serving yet, so a port in use is reported
   * before anything else starts.
   *
   * @param port the port, 0 for a free one
   * @param flag the option that set the port, named in the error when it is in use
   */
  public static DashboardServer bind(int port, String flag) {
    if (port < 0 || port > 65535) {
      throw new UsageException(flag + " " + port + ": not a port (0-65535; 0 picks a free one)");
    }
    HttpServer server;
    try {
      server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 32);
    } catch (BindException e) {
      throw new UsageException(
          flag
              + " "
              + port
              + ": 127.0.0.1:"
              + port
              + " is in use (choose another port, 0 for a free one)");
    } catch (IOException e) {
      throw new UsageException(
          flag + " " + port + ": cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "tunelab-dashboard-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    return new DashboardServer(server, executor);
  }

  /** Starts answering requests from {@code data}; returns this. */
  public DashboardServer serve(DashboardData data, String title) {
    this.data = data;
    this.pages = new DashboardPages(title);
    server.createContext("/", this::handle);
    server.start();
    return this;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The dashboard's address, {@code http://127.0.0.1:PORT/}. */
  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String host = exchange.getRequestHeaders().getFirst("Host");
      if (host == null || !LOCAL_HOST.matcher(host.trim()).matches()) {
        send(
            exchange,
            403,
            "text/plain",
            "the dashboard answers requests to 127.0.0.1 only\n",
            null);
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain", "method not allowed\n", null);
        return;
      }
      route(exchange, exchange.getRequestURI().getPath());
    } catch (RuntimeException e) {
      boolean unreachable = e instanceof UnreachableException;
      if (!unreachable) {
        log.warn("dashboard request {} failed", exchange.getRequestURI().getPath(), e);
      }
      ObjectNode error = Json.mapper().createObjectNode();
      error.put(
          "error",
          unreachable ? e.getMessage() : "internal error: " + e.getClass().getSimpleName());
      try {
        send(exchange, unreachable ? 503 : 500, "application/json", Json.text(error), null);
      } catch (IOException | RuntimeException ignored) {
        // headers already sent, or the client left
      }
    }
  }

  private void route(HttpExchange exchange, String path) throws IOException {
    Matcher m;
    if (path.equals("/") || path.equals("/index.html")) {
      String nonce = nonce();
      send(exchange, 200, "text/html", pages.index(nonce), pageHeaders(nonce));
    } else if (path.equals("/favicon.ico")) {
      // no icon: an empty answer rather than a 404 the browser logs as a failed load
      exchange.sendResponseHeaders(204, -1);
    } else if (path.equals("/api/runs")) {
      json(exchange, 200, data.runs());
    } else if ((m = API_RUN.matcher(path)).matches()) {
      Optional<JsonNode> report = data.report(m.group(1));
      if (report.isPresent()) {
        json(exchange, 200, report.get());
      } else {
        ObjectNode error = Json.mapper().createObjectNode();
        error.put("error", "no run named '" + m.group(1) + "'");
        json(exchange, 404, error);
      }
    } else if ((m = RUN.matcher(path)).matches()) {
      String runId = m.group(1);
      if (data.isSweep(runId)) {
        redirect(exchange, "/sweeps/" + runId);
        return;
      }
      if (!data.exists(runId)) {
        notFound(exchange, "no run named '" + runId + "'");
        return;
      }
      String nonce = nonce();
      send(
          exchange,
          200,
          "text/html",
          pages.run(runId, data.temporalLink(runId).orElse(null), nonce),
          pageHeaders(nonce));
    } else if ((m = RUN_REPORT.matcher(path)).matches()) {
      if (data.isSweep(m.group(1))) {
        redirect(exchange, "/sweeps/" + m.group(1) + "/report.html");
        return;
      }
      Optional<JsonNode> report = data.report(m.group(1));
      if (report.isEmpty()) {
        notFound(exchange, "no run named '" + m.group(1) + "'");
        return;
      }
      send(
          exchange,
          200,
          "text/html",
          new ReportRenderer().html(report.get(), data::object),
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    } else if (!sweepRoute(exchange, path)) {
      notFound(exchange, "no such page");
    }
  }

  /** Answers a sweep's page, HTML report or JSON; false when {@code path} is none of them. */
  private boolean sweepRoute(HttpExchange exchange, String path) throws IOException {
    Matcher m;
    if ((m = API_SWEEP.matcher(path)).matches()) {
      Optional<JsonNode> report = data.sweep(m.group(1));
      if (report.isPresent()) {
        json(exchange, 200, report.get());
      } else {
        ObjectNode error = Json.mapper().createObjectNode();
        error.put("error", "no sweep named '" + m.group(1) + "'");
        json(exchange, 404, error);
      }
    } else if ((m = SWEEP.matcher(path)).matches()) {
      String sweepId = m.group(1);
      if (!data.isSweep(sweepId)) {
        notFound(exchange, "no sweep named '" + sweepId + "'");
        return true;
      }
      String nonce = nonce();
      send(
          exchange,
          200,
          "text/html",
          pages.sweep(sweepId, data.temporalLink(sweepId).orElse(null), nonce),
          pageHeaders(nonce));
    } else if ((m = SWEEP_REPORT.matcher(path)).matches()) {
      Optional<JsonNode> report = data.sweep(m.group(1));
      if (report.isEmpty()) {
        notFound(exchange, "no sweep named '" + m.group(1) + "'");
        return true;
      }
      send(
          exchange,
          200,
          "text/html",
          new SweepRenderer().html(report.get()),
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    } else {
      return false;
    }
    return true;
  }

  /** A redirect to another page of this server. */
  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    send(exchange, 302, "text/plain", "see " + location + "\n", null);
  }

  private void notFound(HttpExchange exchange, String message) throws IOException {
    send(
        exchange,
        404,
        "text/html",
        pages.notFound(message),
        "default-src 'none'; style-src 'unsafe-inline'");
  }

  private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, "application/json", Json.text(body) + "\n", null);
  }

  /** A page's policy: its own inline script (by nonce) and style, requests to this server only. */
  private static String pageHeaders(String nonce) {
    return "default-src 'none'; script-src 'nonce-"
        + nonce
        + "'; style-src 'unsafe-inline'; "
        + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        + "frame-ancestors 'none'";
  }

  private static String nonce() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static void send(
      HttpExchange exchange, int status, String type, String body, String contentSecurityPolicy)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", type + "; charset=utf-8");
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
    if (contentSecurityPolicy != null) {
      headers.set("Content-Security-Policy", contentSecurityPolicy);
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
