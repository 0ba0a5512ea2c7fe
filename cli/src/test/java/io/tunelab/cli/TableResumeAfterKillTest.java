package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table run's worker process is killed with SIGKILL while one activity trains several of its
 * epochs ({@code TrainEpochs}), after its heartbeat named epochs as done; another worker takes the
 * retry over. The run completes with every epoch once, the retry continues after the epochs the
 * heartbeat named (none is trained twice), and every epoch's metrics and the test metrics are those
 * of the same run uninterrupted (within 1e-4 relative; see the check).
 */
@Tag("integration")
class TableResumeAfterKillTest {
  private static final Pattern EPOCH_LINE =
      Pattern.compile("run (\\S+) arm finetune epoch (\\d+) \\(attempt (\\d+)\\)");

  private static final int EPOCHS = 16;

  @TempDir static Path home;
  static EmbeddedStack stack;
  static WorkflowServiceStubs stubs;
  static CliHarness cli;
  static final List<WorkerProcess> workers = new ArrayList<>();

  @BeforeAll
  static void startStack() throws Exception {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    stack = EmbeddedStack.start(home, 0, 0, creds, "tunelab");
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(stack.endpoints().temporalTarget())
                .build());
    cli = new CliHarness(home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint());
  }

  @AfterAll
  static void stopStack() throws Exception {
    for (WorkerProcess w : workers) {
      w.close();
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (stack != null) {
      stack.close();
    }
  }

  private static WorkerProcess worker() throws Exception {
    WorkerProcess w =
        WorkerProcess.start(
            home,
            stack.endpoints().temporalTarget(),
            stack.endpoints().s3Endpoint(),
            home.resolve("worker.log"));
    workers.add(w);
    return w;
  }

  /** {@code n} rows of 8 features on different scales; the class is a rule of the first four. */
  private static Path csv(String name, int n, boolean threeClasses, long seed) throws Exception {
    Random random = new Random(seed);
    StringBuilder out = new StringBuilder("a,b,c,d,e,f,g,h,label\n");
    for (int i = 0; i < n; i++) {
      double[] z = new double[8];
      for (int j = 0; j < z.length; j++) {
        z[j] = random.nextGaussian();
        out.append(String.format(Locale.ROOT, "%.5f,", z[j] * (1 + 3 * j) + 5 * j));
      }
      String label =
          threeClasses
              ? (z[0] >= z[1] && z[0] >= z[2] ? "x" : z[1] >= z[2] ? "y" : "z")
              : (z[0] + z[1] - z[2] + 0.5 * z[3] * z[3] > 0.5 ? "yes" : "no");
      out.append(label).append('\n');
    }
    Path file = home.resolve(name);
    Files.writeString(file, out);
    return file;
  }

  private static String[] runArgs(Path target, String name) {
    return new String[] {
      "run",
      "--data",
      target.toString(),
      "--pretrained",
      "table-resume-src",
      "--epochs",
      "" + EPOCHS,
      "--batch-size",
      "8",
      "--lr",
      "0.003",
      "--dropout",
      "0.2",
      "--l2",
      "0.001",
      "--early-stopping-patience",
      "0",
      "--seed",
      "5",
      "--no-scratch",
      "--no-probes",
      "--name",
      name
    };
  }

  @Test
  void aKilledWorkerMidBlockResumesAfterTheHeartbeatsEpochsToTheSameResult() throws Exception {
    Path source = csv("source.csv", 400, true, 1);
    Path target = csv("target.csv", 900, false, 2);
    WorkerProcess first = worker();
    CliHarness.Result pretrained =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "table-resume-src",
            "--model",
            "mlp",
            "--hidden",
            "32,16",
            "--epochs",
            "1",
            "--wait");
    assertEquals(
        0, pretrained.code(), pretrained.err() + Files.readString(home.resolve("worker.log")));

    CliHarness.Result started = cli.run(runArgs(target, "table-killed"));
    assertEquals(0, started.code(), started.err());
    List<Integer> done = waitForDoneEpochs("table-killed", Duration.ofMinutes(3));
    first.kill();
    assertFalse(first.alive());

    // While the killed activity waits out its heartbeat timeout, the same run goes uninterrupted.
    worker();
    CliHarness.Result clean = cli.run(concat(runArgs(target, "table-clean"), "--wait", "--json"));
    assertEquals(0, clean.code(), clean.err());
    JsonNode cleanArm = Json.tree(clean.out().getBytes()).path("arms").path("finetune");
    JsonNode killed = waitForReport("table-killed", Duration.ofMinutes(3));
    JsonNode arm = killed.path("arms").path("finetune");
    String log = Files.readString(home.resolve("worker.log"));

    assertEquals("COMPLETED", killed.path("status").asText(), killed.toString());
    List<Integer> epochs = new ArrayList<>();
    arm.path("epochs").forEach(e -> epochs.add(e.path("epoch").asInt()));
    List<Integer> all = new ArrayList<>();
    for (int e = 1; e <= EPOCHS; e++) {
      all.add(e);
    }
    assertEquals(all, epochs, "every epoch once");

    // The retry (attempt 2) began after the epochs the last heartbeat named as done, and no epoch
    // before it was trained twice.
    Map<Integer, Integer> trained = new HashMap<>();
    int retriedFrom = -1;
    Matcher m = EPOCH_LINE.matcher(log);
    while (m.find()) {
      if (!m.group(1).equals("table-killed")) {
        continue;
      }
      int epoch = Integer.parseInt(m.group(2));
      trained.merge(epoch, 1, Integer::sum);
      if (m.group(3).equals("2") && retriedFrom < 0) {
        retriedFrom = epoch;
      }
    }
    int lastDone = done.get(done.size() - 1);
    System.out.printf(
        "table kill: heartbeat done %s, retry from epoch %d, resumedFromEpoch %s%n",
        done, retriedFrom, arm.path("resumedFromEpoch"));
    assertTrue(retriedFrom > lastDone, "retry from " + retriedFrom + " after " + done + "\n" + log);
    for (int e = 1; e < retriedFrom; e++) {
      assertEquals(1, trained.getOrDefault(e, 0), "epoch " + e + " trained once");
    }
    assertEquals(retriedFrom - 1, arm.path("resumedFromEpoch").asInt(), arm.toString());
    assertTrue(cleanArm.path("resumedFromEpoch").isNull(), cleanArm.toString());

    // Every metric of every epoch as uninterrupted, within 1e-4 relative. The epochs after the
    // retry are not always bit-identical to the live ones: CI saw a train loss 2.4e-6 off, and a
    // verify on 2 busy cores here 1.2e-5 on the validation loss, growing from 8e-7 over the
    // epochs after the restore — float32 rounding in the mlp's matrix products, whose kernels may
    // sum in another order on freshly restored tensors (not proven). A lost optimizer state, a
    // wrong epoch or other dropout masks move these metrics by 1e-3 or more; every difference is
    // printed.
    List<String> differences = new ArrayList<>();
    double worst = 0;
    for (int e = 0; e < EPOCHS; e++) {
      for (String metric : List.of("trainLoss", "trainAcc", "valLoss", "valAcc", "lr")) {
        double expected = cleanArm.path("epochs").get(e).path(metric).asDouble();
        double actual = arm.path("epochs").get(e).path(metric).asDouble();
        if (expected != actual) {
          double relative = Math.abs(expected - actual) / Math.max(1e-12, Math.abs(expected));
          worst = Math.max(worst, relative);
          differences.add("epoch " + (e + 1) + " " + metric + " " + expected + " vs " + actual);
        }
      }
    }
    System.out.printf("table kill: metrics off %s (worst relative %.2g)%n", differences, worst);
    assertTrue(worst <= 1e-4, "metrics differ from the uninterrupted run: " + differences);
    assertEquals(cleanArm.path("bestEpoch").asInt(), arm.path("bestEpoch").asInt());
    for (String metric : List.of("loss", "acc")) {
      double expected = cleanArm.path("test").path(metric).asDouble();
      double actual = arm.path("test").path(metric).asDouble();
      assertTrue(cleanArm.path("test").has(metric), cleanArm.toString());
      assertEquals(expected, actual, 1e-4 * Math.abs(expected), "test " + metric);
    }
  }

  /**
   * Waits until the run's pending training activity has heartbeat the epochs it finished (at least
   * one); returns them.
   */
  private static List<Integer> waitForDoneEpochs(String run, Duration timeout)
      throws InterruptedException {
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      for (PendingActivityInfo info :
          WorkflowStatuses.describe(client, run).getPendingActivitiesList()) {
        if (!info.getActivityType().getName().equals("TrainEpochs")
            || !info.hasHeartbeatDetails()
            || info.getAttempt() != 1) {
          continue;
        }
        JsonNode details =
            DefaultDataConverter.newDefaultInstance()
                .fromPayloads(
                    0, Optional.of(info.getHeartbeatDetails()), JsonNode.class, JsonNode.class);
        List<Integer> done = new ArrayList<>();
        details.path("done").forEach(d -> done.add(d.path("metrics").path("epoch").asInt()));
        if (!done.isEmpty()) {
          return done;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError(run + ": no heartbeat named a finished epoch in " + timeout);
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static JsonNode waitForReport(String run, Duration timeout) throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      CliHarness.Result status = cli.run("status", run, "--json");
      String s = Json.tree(status.out().getBytes()).path("status").asText();
      if (!s.equals("RUNNING")) {
        CliHarness.Result report = cli.run("report", run);
        return Json.tree(report.out().getBytes());
      }
      Thread.sleep(250);
    }
    throw new AssertionError(run + " did not finish in " + timeout);
  }
}
