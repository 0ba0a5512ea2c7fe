package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.IdxReader;
import io.tunelab.dataset.LabeledImages;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps through the CLI on the embedded stack with a worker process: a sweep over a learning rate
 * that trains and one that diverges names the good rate best and the rate as the cause; a worker
 * killed mid-sweep leaves every member started once and completed.
 */
@Tag("integration")
class SweepEndToEndTest {
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir static Path home;
  static EmbeddedStack stack;
  static CliHarness cli;
  static WorkflowServiceStubs stubs;
  static Path target;
  static final List<WorkerProcess> workers = new ArrayList<>();

  @BeforeAll
  static void startStack() throws Exception {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    stack = EmbeddedStack.start(home, 0, 0, creds, "tunelab");
    cli = new CliHarness(home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint());
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(stack.endpoints().temporalTarget())
                .build());
    LabeledImages train =
        IdxReader.read(
            FASHION.resolve("train-images-idx3-ubyte.gz"),
            FASHION.resolve("train-labels-idx1-ubyte.gz"));
    Path source = home.resolve("source");
    target = home.resolve("target");
    FashionMnistFolders.export(train, new int[] {0, 1, 2}, 100, 1, source);
    FashionMnistFolders.export(train, new int[] {5, 7, 8, 9}, 60, 2, target);
    worker();
    CliHarness.Result pretrained =
        cli.run(
            "pretrain", "--data", source.toString(), "--name", "sw-src", "--epochs", "1", "--wait");
    assertEquals(
        0, pretrained.code(), pretrained.err() + Files.readString(home.resolve("worker.log")));
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

  private static List<String> sweepArgs(String name, String lrs, int seeds, int parallel) {
    return new ArrayList<>(
        List.of(
            "sweep",
            "--data",
            target.toString(),
            "--pretrained",
            "sw-src",
            "--optimizer",
            "sgd",
            "--epochs",
            "2",
            "--early-stopping-patience",
            "0",
            "--no-scratch",
            "--no-probes",
            "--vary",
            "lr=" + lrs,
            "--seeds",
            Integer.toString(seeds),
            "--max-parallel",
            Integer.toString(parallel),
            "--name",
            name));
  }

  @Test
  void aDivergingRateIsNamedAsTheCauseAndTheOtherAsBest() throws Exception {
    List<String> args = sweepArgs("lr-sweep", "0.05,40", 2, 2);
    args.addAll(List.of("--wait", "--json"));
    CliHarness.Result done = cli.run(args.toArray(String[]::new));
    assertEquals(0, done.code(), done.err() + Files.readString(home.resolve("worker.log")));
    JsonNode report = Json.tree(done.out().getBytes());
    System.out.println("sweep report: " + report);

    assertEquals("sweep", report.path("kind").asText());
    assertEquals("COMPLETED", report.path("status").asText());
    assertEquals(2, report.path("configs").size());
    int runs = 0;
    for (JsonNode c : report.path("configs")) {
      runs += c.path("runs").size();
    }
    assertEquals(4, runs, "2 configs x 2 seeds");
    assertEquals(1, report.path("best").asInt(), "lr=0.05 trains, lr=40 diverges");
    JsonNode cause = null;
    for (JsonNode f : report.path("findings")) {
      if (f.path("code").asText().equals("cause-depends-on-setting")) {
        cause = f;
      }
    }
    assertTrue(cause != null, "cause-depends-on-setting in " + report.path("findings"));
    assertTrue(cause.toString().contains("lr"), cause.toString());
    assertTrue(cause.path("configs").toString().contains("2"), cause.toString());

    // the members are runs like any: listed with their sweep, reportable, tagged for the UI
    JsonNode list = Json.tree(cli.run("list", "--json").out().getBytes());
    int members = 0;
    for (JsonNode r : list) {
      members += "lr-sweep".equals(r.path("sweep").asText()) ? 1 : 0;
      if (r.path("runId").asText().equals("lr-sweep")) {
        assertEquals("sweep", r.path("kind").asText());
      }
    }
    assertEquals(4, members);
    JsonNode member = Json.tree(cli.run("report", "lr-sweep-c1-s43").out().getBytes());
    assertEquals("COMPLETED", member.path("status").asText());
    var attributes = describe("lr-sweep-c2-s42").getSearchAttributes().getIndexedFieldsMap();
    assertEquals("\"lr-sweep\"", attributes.get("TunelabSweep").getData().toStringUtf8());
    assertTrue(describe("lr-sweep").getMemo().getFieldsMap().containsKey("vary"));

    String md = cli.run("report", "lr-sweep", "--format", "md").out();
    assertTrue(md.contains("cause-depends-on-setting"), md);
    String html = cli.run("report", "lr-sweep", "--format", "html").out();
    assertTrue(html.contains("<svg"), "validation curves overlaid");
  }

  @Test
  void aWorkerKilledMidSweepLeavesEveryMemberStartedOnce() throws Exception {
    CliHarness.Result started =
        cli.run(sweepArgs("kill", "0.05,0.02", 1, 1).toArray(String[]::new));
    assertEquals(0, started.code(), started.err());
    assertEquals("kill", started.lastLine());
    waitUntil(() -> epochs("kill-c1-s42") >= 1, Duration.ofMinutes(6), "member 1 trains");
    workers.remove(0).kill();
    worker();
    waitUntil(
        () -> !status("kill").path("status").asText().equals("RUNNING"),
        Duration.ofMinutes(10),
        "sweep ends");

    JsonNode state = status("kill");
    assertEquals("COMPLETED", state.path("status").asText(), state.toString());
    assertEquals(2, state.path("members").size());
    Map<String, Integer> executions = new HashMap<>();
    for (WorkflowExecutionInfo info :
        stubs
            .blockingStub()
            .listClosedWorkflowExecutions(
                ListClosedWorkflowExecutionsRequest.newBuilder()
                    .setNamespace("default")
                    .setMaximumPageSize(1000)
                    .build())
            .getExecutionsList()) {
      String id = info.getExecution().getWorkflowId();
      if (id.startsWith("kill-c")) {
        executions.merge(id, 1, Integer::sum);
      }
    }
    assertEquals(
        Map.of("kill-c1-s42", 1, "kill-c2-s42", 1), executions, "every member started once");
    for (String member : executions.keySet()) {
      JsonNode report = Json.tree(cli.run("report", member).out().getBytes());
      assertEquals("COMPLETED", report.path("status").asText(), member);
      List<Integer> epochs = new ArrayList<>();
      report
          .path("arms")
          .path("finetune")
          .path("epochs")
          .forEach(e -> epochs.add(e.path("epoch").asInt()));
      assertEquals(List.of(1, 2), epochs, member + ": every epoch once");
    }
  }

  private static WorkflowExecutionInfo describe(String id) {
    return stubs
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                .build())
        .getWorkflowExecutionInfo();
  }

  private static JsonNode status(String id) {
    return Json.tree(cli.run("status", id, "--json").out().getBytes());
  }

  private static int epochs(String run) {
    CliHarness.Result status = cli.run("status", run, "--json");
    if (status.code() != 0) {
      return 0;
    }
    return Json.tree(status.out().getBytes()).path("arms").path("finetune").path("epochs").asInt();
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void waitUntil(Condition condition, Duration timeout, String what)
      throws Exception {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      if (condition.holds()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(what + ": not within " + timeout);
  }
}
