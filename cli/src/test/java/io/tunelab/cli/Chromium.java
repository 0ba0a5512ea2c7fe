package io.tunelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.storage.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium ({@code /usr/bin/chromium}) with one page open, driven over the
 * DevTools protocol on a WebSocket (java.net.http): evaluate script in the live page, take a
 * screenshot, navigate, and collect what the page reports as errors (console errors, uncaught
 * exceptions, browser log errors such as a failed load). No browser driver, no Selenium.
 */
final class Chromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");

  private final Process process;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  /** Every event the page sent (messages without an id), in arrival order. */
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  private Chromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts Chromium headless with a new empty profile under {@code profile}, opens {@code url} and
   * connects to the page's DevTools endpoint.
   */
  static Chromium open(String url, Path profile, Path log) throws Exception {
    Files.createDirectories(profile);
    List<String> command =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--mute-audio",
                "--window-size=1280,2200",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile.toAbsolutePath(),
                url));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      // Chromium writes the port it picked into the profile: "PORT\n/devtools/browser/ID"
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int port = -1;
      while (port < 0) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "chromium exited with " + process.exitValue() + "; see " + log);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("chromium wrote no DevToolsActivePort; see " + log);
        }
        if (Files.exists(portFile)) {
          List<String> lines = Files.readAllLines(portFile);
          if (!lines.isEmpty() && !lines.get(0).isBlank()) {
            port = Integer.parseInt(lines.get(0).trim());
            break;
          }
        }
        Thread.sleep(100);
      }
      HttpClient http = HttpClient.newHttpClient();
      String pageSocket = null;
      while (pageSocket == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("chromium shows no page target; see " + log);
        }
        HttpResponse<String> targets =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : Json.tree(targets.body().getBytes(StandardCharsets.UTF_8))) {
          if ("page".equals(target.path("type").asText())) {
            pageSocket = target.path("webSocketDebuggerUrl").asText();
          }
        }
        if (pageSocket == null) {
          Thread.sleep(100);
        }
      }
      Chromium[] self = new Chromium[1];
      StringBuilder partial = new StringBuilder();
      WebSocket socket =
          http.newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(
                  URI.create(pageSocket),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(
                        WebSocket ws, CharSequence data, boolean last) {
                      partial.append(data);
                      if (last) {
                        String message = partial.toString();
                        partial.setLength(0);
                        JsonNode node = Json.tree(message.getBytes(StandardCharsets.UTF_8));
                        if (node.has("id") && self[0] != null) {
                          CompletableFuture<JsonNode> f =
                              self[0].pending.remove(node.path("id").asInt());
                          if (f != null) {
                            f.complete(node);
                          }
                        } else if (node.has("method") && self[0] != null) {
                          self[0].events.add(node);
                        }
                      }
                      ws.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      self[0] = new Chromium(process, socket);
      return self[0];
    } catch (Exception e) {
      stop(process);
      throw e;
    }
  }

  /** Sends a DevTools command and waits for its result. */
  JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = Json.mapper().createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", params);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket.sendText(Json.text(message), true).get(10, TimeUnit.SECONDS);
    JsonNode response = answer.get(30, TimeUnit.SECONDS);
    if (response.has("error")) {
      throw new IllegalStateException(method + ": " + response.path("error"));
    }
    return response.path("result");
  }

  /** Evaluates a script expression in the page and returns its value as JSON. */
  JsonNode evaluate(String expression) throws Exception {
    ObjectNode params = Json.mapper().createObjectNode();
    params.put("expression", expression);
    params.put("returnByValue", true);
    JsonNode result = call("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + result.path("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** A PNG of the whole page. */
  void screenshot(Path file) throws Exception {
    ObjectNode params = Json.mapper().createObjectNode();
    params.put("format", "png");
    params.put("captureBeyondViewport", true);
    JsonNode result = call("Page.captureScreenshot", params);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(result.path("data").asText()));
  }

  /**
   * Starts collecting the page's errors (and load events): enables the {@code Runtime}, {@code Log}
   * and {@code Page} domains. Call it before {@link #navigate} so that nothing the page does while
   * loading is missed.
   */
  void watchForErrors() throws Exception {
    ObjectNode none = Json.mapper().createObjectNode();
    call("Runtime.enable", none);
    call("Log.enable", none);
    call("Page.enable", none);
  }

  /** Opens {@code url} in the page and waits for its load event (needs {@link #watchForErrors}). */
  void navigate(String url) throws Exception {
    int mark = events.size();
    ObjectNode params = Json.mapper().createObjectNode();
    params.put("url", url);
    JsonNode result = call("Page.navigate", params);
    if (result.hasNonNull("errorText")) {
      throw new IllegalStateException(
          "cannot open " + url + ": " + result.path("errorText").asText());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (events.subList(mark, events.size()).stream()
        .noneMatch(e -> "Page.loadEventFired".equals(e.path("method").asText()))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(url + " did not finish loading in 30 s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * What the page reported as errors since {@link #watchForErrors}, one line each: console messages
   * of type error or assert, uncaught exceptions, and browser log entries of level error.
   */
  List<String> errors() {
    List<String> errors = new ArrayList<>();
    for (JsonNode e : events) {
      JsonNode p = e.path("params");
      switch (e.path("method").asText()) {
        case "Runtime.consoleAPICalled" -> {
          String type = p.path("type").asText();
          if (type.equals("error") || type.equals("assert")) {
            errors.add("console." + type + ": " + p.path("args"));
          }
        }
        case "Runtime.exceptionThrown" ->
            errors.add(
                "uncaught: "
                    + p.path("exceptionDetails")
                        .path("exception")
                        .path("description")
                        .asText(p.path("exceptionDetails").path("text").asText()));
        case "Log.entryAdded" -> {
          if (p.path("entry").path("level").asText().equals("error")) {
            errors.add(
                "log ("
                    + p.path("entry").path("source").asText()
                    + "): "
                    + p.path("entry").path("text").asText()
                    + " "
                    + p.path("entry").path("url").asText(""));
          }
        }
        default -> {}
      }
    }
    return errors;
  }

  /** A PNG of the whole page, beyond the window, at its CSS size. */
  void screenshotFullPage(Path file) throws Exception {
    JsonNode metrics = call("Page.getLayoutMetrics", Json.mapper().createObjectNode());
    JsonNode size =
        metrics.has("cssContentSize")
            ? metrics.path("cssContentSize")
            : metrics.path("contentSize");
    ObjectNode params = Json.mapper().createObjectNode();
    params.put("format", "png");
    params.put("captureBeyondViewport", true);
    ObjectNode clip = params.putObject("clip");
    clip.put("x", 0);
    clip.put("y", 0);
    clip.put("width", Math.ceil(size.path("width").asDouble()));
    clip.put("height", Math.min(16_000, Math.ceil(size.path("height").asDouble())));
    clip.put("scale", 1);
    JsonNode result = call("Page.captureScreenshot", params);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(result.path("data").asText()));
  }

  @Override
  public void close() {
    socket.abort();
    stop(process);
  }

  /** Ends the browser and the processes it started (renderer, zygote, …), by their ids. */
  private static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }
}
