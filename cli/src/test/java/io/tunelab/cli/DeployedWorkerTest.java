package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.IdxReader;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker deployed the way infra/deploy/docker-compose.yml deploys one: {@code tunelab worker}
 * with no flag, configured by exactly the environment variables the compose file gives its workers
 * (values pointing at the embedded stack in this JVM), serves runs. Then {@code tunelab run --wait}
 * runs in a terminal (tmux) and its per-arm progress bar is seen to advance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class DeployedWorkerTest {
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  /** Not the default queue, so the test proves the worker read its queue from the environment. */
  static final String QUEUE = "tunelab-deployed";

  /** An arm's live line: {@code finetune epoch 2/3 [#####.....] 45/125 loss 0.412 ETA 1:05}. */
  static final Pattern BAR =
      Pattern.compile(
          "(finetune|scratch)\\s+epoch (\\d+)/(\\d+) \\[(#*)\\.*\\] (\\d+)/(\\d+) loss (\\S+) ETA (\\S+)");

  @TempDir static Path home;
  static EmbeddedStack stack;
  static S3Credentials creds;
  static CliHarness cli;
  static Process worker;
  static Path workerLog;
  static Path source;
  static Path target;
  static String tmuxSocket;

  @BeforeAll
  static void startStackAndDeployedWorker() throws Exception {
    creds = CredentialStore.resolve(home, null, null);
    stack = EmbeddedStack.start(home, 0, 0, creds, "tunelab");
    cli = new CliHarness(home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint());
    LabeledImages train =
        IdxReader.read(
            FASHION.resolve("train-images-idx3-ubyte.gz"),
            FASHION.resolve("train-labels-idx1-ubyte.gz"));
    source = home.resolve("source");
    target = home.resolve("target");
    FashionMnistFolders.export(train, new int[] {0, 1, 2}, 100, 1, source);
    FashionMnistFolders.export(train, new int[] {5, 7, 8, 9}, 1500, 2, target);

    Map<String, String> env = workerEnvironment();
    workerLog = home.resolve("deployed-worker.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                TunelabCli.class.getName(),
                "worker")
            .redirectErrorStream(true)
            .redirectOutput(workerLog.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("TUNELAB_") || k.startsWith("DJL_"));
    builder.environment().putAll(env);
    worker = builder.start();
    Process started = worker;
    java.lang.Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
  }

  /**
   * The compose file's worker environment with values for this machine: every variable it sets, and
   * nothing else of tunelab's. The worker's TUNELAB_HOME is a directory of its own with no stored
   * credentials, so the keys can only come from the environment.
   */
  static Map<String, String> workerEnvironment() throws IOException {
    Map<String, String> compose =
        DeployCompose.environment(DeployCompose.load().services().get("tunelab-worker"));
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : compose.keySet()) {
      String value =
          switch (name) {
            case "TUNELAB_TEMPORAL_TARGET" -> stack.endpoints().temporalTarget();
            case "TUNELAB_S3_ENDPOINT" -> stack.endpoints().s3Endpoint();
            case "TUNELAB_S3_ACCESS_KEY" -> creds.accessKey();
            case "TUNELAB_S3_SECRET_KEY" -> creds.secretKey();
            case "TUNELAB_NAMESPACE" -> "default";
            case "TUNELAB_TASK_QUEUE" -> QUEUE;
            case "TUNELAB_BUCKET" -> "tunelab";
            case "TUNELAB_HOME" -> home.resolve("worker-home").toString();
            case "DJL_OFFLINE", "OPT_OUT_TRACKING" -> compose.get(name);
            default ->
                throw new AssertionError(
                    "the compose file's worker sets "
                        + name
                        + ": say here what it means on this machine");
          };
      env.put(name, value);
    }
    return env;
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (tmuxSocket != null) {
      new ProcessBuilder("tmux", "-L", tmuxSocket, "kill-server")
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    }
    if (worker != null && worker.isAlive()) {
      worker.destroy();
      if (!worker.waitFor(15, TimeUnit.SECONDS)) {
        worker.destroyForcibly();
      }
    }
    if (stack != null) {
      stack.close();
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String log() throws IOException {
    return Files.readString(workerLog);
  }

  @Test
  @Order(1)
  void aWorkerConfiguredByTheComposeEnvironmentServesARun() throws Exception {
    CliHarness.Result r =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "deployed-src",
            "--epochs",
            "1",
            "--task-queue",
            QUEUE,
            "--wait",
            "--json");
    assertEquals(0, r.code(), r.err() + log());
    assertEquals("COMPLETED", Json.tree(r.out().getBytes()).path("status").asText());
    assertTrue(worker.isAlive());
    assertTrue(
        log().contains("worker polling " + QUEUE + " at " + stack.endpoints().temporalTarget()),
        log());
    assertTrue(!log().contains(creds.secretKey()), "the secret key is not logged");
  }

  @Test
  @Order(2)
  void runWaitShowsAnAdvancingBarPerArmInATerminal() throws Exception {
    boolean tmux = new ProcessBuilder("sh", "-c", "command -v tmux").start().waitFor() == 0;
    if (!tmux) {
      if (System.getenv("TUNELAB_REQUIRE_TMUX") != null) {
        fail("tmux is missing (.ci/run installs it)");
      }
      Assumptions.abort("tmux is not installed: apt-get install tmux (.ci/run installs it)");
    }
    Path script = home.resolve("run-wait.sh");
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                TunelabCli.class.getName(),
                "run",
                "--data",
                target.toString(),
                "--pretrained",
                "deployed-src",
                "--epochs",
                "2",
                "--batch-size",
                "16",
                "--early-stopping-patience",
                "0",
                "--name",
                "in-a-terminal",
                "--wait",
                "--home",
                home.toString(),
                "--temporal-target",
                stack.endpoints().temporalTarget(),
                "--s3-endpoint",
                stack.endpoints().s3Endpoint(),
                "--task-queue",
                QUEUE));
    StringBuilder line =
        new StringBuilder("#!/bin/sh\nunset TUNELAB_S3_ACCESS_KEY TUNELAB_S3_SECRET_KEY\n");
    for (String arg : command) {
      line.append('\'').append(arg.replace("'", "'\\''")).append("' ");
    }
    line.append("\necho \"exit $?\"\nsleep 600\n");
    Files.writeString(script, line.toString(), StandardCharsets.UTF_8);
    tmuxSocket = "tunelab-test-" + ProcessHandle.current().pid();
    assertEquals(
        0,
        tmux("new-session", "-d", "-s", "run", "-x", "160", "-y", "40", "sh " + script).exitCode);

    Map<String, int[]> first = new LinkedHashMap<>();
    boolean advanced = false;
    boolean eta = false;
    String pane = "";
    Instant end = Instant.now().plus(Duration.ofMinutes(15));
    while (Instant.now().isBefore(end) && !(advanced && eta)) {
      pane = tmux("capture-pane", "-p", "-t", "run").output;
      Matcher m = BAR.matcher(pane);
      while (m.find()) {
        String arm = m.group(1);
        int epoch = Integer.parseInt(m.group(2));
        int hashes = m.group(4).length();
        int step = Integer.parseInt(m.group(5));
        assertEquals(2, Integer.parseInt(m.group(3)), "epoch x/N: " + m.group());
        // an arm's bar advances: more steps (and no fewer #) within an epoch, or a later epoch
        int[] earlier = first.putIfAbsent(arm, new int[] {epoch, step, hashes});
        if (earlier != null
            && (epoch > earlier[0]
                || (epoch == earlier[0] && step > earlier[1] && hashes >= earlier[2]))) {
          advanced = true;
        }
        eta |= m.group(8).matches("\\d+:\\d{2}");
      }
      if (pane.contains("exit ")) {
        break;
      }
      Thread.sleep(300);
    }
    assertTrue(advanced, "a bar advanced; arms seen: " + first.keySet() + "; last pane:\n" + pane);
    assertTrue(eta, "an ETA was shown; last pane:\n" + pane);

    // the run ends and the terminal shows the summary, no bar left over
    Instant done = Instant.now().plus(Duration.ofMinutes(15));
    while (!pane.contains("exit ") && Instant.now().isBefore(done)) {
      Thread.sleep(1000);
      pane = tmux("capture-pane", "-p", "-t", "run").output;
    }
    assertTrue(pane.contains("exit 0"), pane + log());
    JsonNode status = Json.tree(cli.run("status", "in-a-terminal", "--json").out().getBytes());
    assertEquals("COMPLETED", status.path("status").asText());
  }

  private record Outcome(int exitCode, String output) {}

  private static Outcome tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", tmuxSocket));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("TUNELAB_"));
    builder.environment().put("TERM", "xterm-256color");
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return new Outcome(p.exitValue(), out);
  }
}
