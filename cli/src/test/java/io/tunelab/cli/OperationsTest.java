package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.workflows.model.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Operating a run through the CLI against the live stack with two workers, the test's own and a
 * {@code tunelab worker} process (so both arms train at once): stop one arm early while both are in
 * flight, pause and unpause, cancel; then the finished runs' histories are checked for credentials
 * and large payloads, and for what makes them legible in Temporal's UI (memo, search attributes,
 * activity summaries).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class OperationsTest extends LiveStack {
  static final int EPOCHS = 6;
  static Path source;
  static Path target;
  static WorkerProcess second;
  static WorkflowClient client;
  static String pretrainRun;

  @BeforeAll
  static void secondWorkerAndImages() throws Exception {
    client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    // a second worker, in a process of its own (DJL's PyTorch engine trains one model at a time
    // per process): one more training slot, so both arms of a run train at the same time
    second =
        WorkerProcess.start(
            home,
            stack.endpoints().temporalTarget(),
            stack.endpoints().s3Endpoint(),
            home.resolve("second-worker.log"));
    WorkerProcess process = second;
    java.lang.Runtime.getRuntime().addShutdownHook(new Thread(process::kill9));
    LabeledImages train = fashionTrain();
    source = home.resolve("source");
    target = home.resolve("target");
    FashionMnistFolders.export(train, new int[] {0, 1, 2}, 100, 1, source);
    FashionMnistFolders.export(train, new int[] {5, 7, 8, 9}, 200, 2, target);
  }

  @AfterAll
  static void stopSecondWorker() throws InterruptedException {
    if (second != null) {
      second.close();
    }
  }

  private static String[] runArgs(String name, String... more) {
    String[] base = {
      "run",
      "--data",
      target.toString(),
      "--pretrained",
      "ops-src",
      "--epochs",
      String.valueOf(EPOCHS),
      "--early-stopping-patience",
      "0",
      "--name",
      name
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private static JsonNode status(String run) {
    CliHarness.Result r = cli.run("status", run, "--json");
    assertEquals(0, r.code(), r.err());
    return Json.tree(r.out().getBytes());
  }

  private static JsonNode waitForStatus(String run, Predicate<JsonNode> condition, String what)
      throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofMinutes(15));
    JsonNode last = null;
    while (Instant.now().isBefore(end)) {
      last = status(run);
      if (condition.test(last)) {
        return last;
      }
      if ("FAILED".equals(last.path("status").asText())) {
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(run + ": timed out waiting for " + what + "; last status " + last);
  }

  private static boolean inFlight(JsonNode status, String arm) {
    JsonNode a = status.path("arms").path(arm);
    return "RUNNING".equals(a.path("status").asText())
        && a.path("epochs").asInt() >= 1
        && a.path("epochs").asInt() < EPOCHS;
  }

  @Test
  @Order(1)
  void pretrainASourceModel() {
    CliHarness.Result r =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "ops-src",
            "--epochs",
            "1",
            "--wait",
            "--json");
    assertEquals(0, r.code(), r.err());
    pretrainRun = Json.tree(r.out().getBytes()).path("runId").asText();
  }

  @Test
  @Order(2)
  void stopEndsOneArmAtTheNextEpochBoundaryWhileTheOtherRunsOn() throws Exception {
    CliHarness.Result started = cli.run(runArgs("ops-stop"));
    assertEquals(0, started.code(), started.err());
    JsonNode both =
        waitForStatus(
            "ops-stop",
            s -> inFlight(s, "finetune") && inFlight(s, "scratch"),
            "both arms mid-run");
    assertTrue(both.path("arms").path("finetune").path("epochs").asInt() < EPOCHS);

    CliHarness.Result stop = cli.run("stop", "ops-stop", "--arm", "finetune");
    assertEquals(0, stop.code(), stop.err());
    assertTrue(stop.out().contains("stop requested for arm finetune"), stop.out());
    // epochs finished once the signal was accepted: at most the one then in flight may follow
    int atStop = status("ops-stop").path("arms").path("finetune").path("epochs").asInt();

    // pause while the scratch arm goes on: it holds at its next boundary, then continues
    CliHarness.Result pause = cli.run("pause", "ops-stop");
    assertEquals(0, pause.code(), pause.err());
    JsonNode paused = status("ops-stop");
    assertTrue(paused.path("phase").asText().startsWith("PAUSED"), paused.toString());
    assertEquals("RUNNING", paused.path("status").asText());
    CliHarness.Result unpause = cli.run("unpause", "ops-stop");
    assertEquals(0, unpause.code(), unpause.err());
    assertFalse(status("ops-stop").path("phase").asText().startsWith("PAUSED"));

    JsonNode done =
        waitForStatus(
            "ops-stop", s -> !"RUNNING".equals(s.path("status").asText()), "the run to end");
    assertEquals("COMPLETED", done.path("status").asText(), done.toString());
    CliHarness.Result report = cli.run("report", "ops-stop");
    assertEquals(0, report.code(), report.err());
    JsonNode arms = Json.tree(report.out().getBytes()).path("arms");

    JsonNode finetune = arms.path("finetune");
    int epochs = finetune.path("epochs").size();
    assertTrue(
        epochs == atStop || epochs == atStop + 1,
        "stopped at the boundary after the epoch in flight: " + atStop + " then " + epochs);
    assertTrue(epochs < EPOCHS, "stopped before its last epoch: " + epochs);
    assertTrue(finetune.path("stoppedEarly").asBoolean(), finetune.toString());
    assertTrue(
        finetune.path("notes").toString().contains("stopped on request"), finetune.toString());
    int best = finetune.path("bestEpoch").asInt();
    assertTrue(best >= 1 && best <= epochs);
    assertTrue(
        store.exists(String.format("runs/ops-stop/finetune/epoch-%04d/checkpoint.bin", best)),
        "the best checkpoint is kept");
    assertTrue(finetune.path("test").path("acc").asDouble() > 0, "tested on the best checkpoint");

    JsonNode scratch = arms.path("scratch");
    assertEquals(EPOCHS, scratch.path("epochs").size(), "the other arm runs on to the end");
    assertFalse(scratch.path("stoppedEarly").asBoolean());

    CliHarness.Result again = cli.run("stop", "ops-stop");
    assertEquals(2, again.code(), "a finished run cannot be stopped");
    assertTrue(again.err().contains("is not running (status COMPLETED)"), again.err());
  }

  @Test
  @Order(3)
  void cancelEndsARunAsCanceledEverywhere() throws Exception {
    CliHarness.Result started = cli.run(runArgs("ops-cancel", "--no-scratch"));
    assertEquals(0, started.code(), started.err());
    waitForStatus("ops-cancel", s -> inFlight(s, "finetune"), "an epoch done");

    CliHarness.Result cancel = cli.run("cancel", "ops-cancel");
    assertEquals(0, cancel.code(), cancel.err());
    JsonNode done =
        waitForStatus(
            "ops-cancel", s -> !"RUNNING".equals(s.path("status").asText()), "the run to end");
    assertEquals("CANCELED", done.path("status").asText(), done.toString());

    assertEquals(
        RunStatus.CANCELED,
        new RunRecords(store).find("ops-cancel").orElseThrow().status(),
        "run.json");
    Instant end = Instant.now().plus(Duration.ofSeconds(30));
    while (!store.exists("runs/ops-cancel/report.json") && Instant.now().isBefore(end)) {
      Thread.sleep(200);
    }
    JsonNode report = Json.tree(store.get("runs/ops-cancel/report.json"));
    assertEquals("CANCELED", report.path("status").asText());
    CliHarness.Result reported = cli.run("report", "ops-cancel");
    assertEquals("CANCELED", Json.tree(reported.out().getBytes()).path("status").asText());

    CliHarness.Result list = cli.run("list", "--json");
    boolean listed = false;
    for (JsonNode run : Json.tree(list.out().getBytes())) {
      if (run.path("runId").asText().equals("ops-cancel")) {
        assertEquals("CANCELED", run.path("status").asText());
        listed = true;
      }
    }
    assertTrue(listed, list.out());
    CliHarness.Result text = cli.run("status", "ops-cancel");
    assertTrue(text.out().startsWith("ops-cancel CANCELED"), text.out());
  }

  @Test
  @Order(4)
  void finishedHistoriesHoldNoCredentialAndNoLargePayload() {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    for (String run : new String[] {pretrainRun, "ops-stop", "ops-cancel"}) {
      WorkflowExecutionHistory history = client.fetchHistory(run);
      assertTrue(history.getEvents().size() > 10, run);
      int largest = HistoryHygiene.assertClean(history, creds.accessKey(), creds.secretKey());
      System.out.printf(
          "history of %s: %d events, largest payload %d bytes%n",
          run, history.getEvents().size(), largest);
    }
  }

  @Test
  @Order(5)
  void runsAreLegibleInTheTemporalUi() {
    DescribeWorkflowExecutionResponse d =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId("ops-stop"))
                    .build());
    var attributes = d.getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap();
    for (String key :
        new String[] {
          "TunelabKind",
          "TunelabDataset",
          "TunelabPretrained",
          "TunelabTrigger",
          "TunelabFinetuneBestValAcc",
          "TunelabScratchBestValAcc"
        }) {
      assertTrue(attributes.containsKey(key), key + " in " + attributes.keySet());
    }
    assertEquals("\"ops-src\"", attributes.get("TunelabPretrained").getData().toStringUtf8());
    double best =
        Double.parseDouble(attributes.get("TunelabScratchBestValAcc").getData().toStringUtf8());
    assertTrue(best > 0 && best <= 1, "best val acc " + best);
    var memo = d.getWorkflowExecutionInfo().getMemo().getFieldsMap();
    assertEquals("\"ops-src\"", memo.get("pretrained").getData().toStringUtf8());
    assertEquals("\"cli\"", memo.get("trigger").getData().toStringUtf8());

    boolean summarised = false;
    for (HistoryEvent event : client.fetchHistory("ops-stop").getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && event
              .getUserMetadata()
              .getSummary()
              .getData()
              .toStringUtf8()
              .matches(
                  "\"scratch epoch 3/"
                      + EPOCHS
                      + " \\(epoch 2 val_acc 0\\.\\d{3}, best 0\\.\\d{3}\\)\"")) {
        summarised = true;
      }
    }
    assertTrue(
        summarised,
        "an epoch activity's summary says e.g. 'scratch epoch 3/10 (epoch 2 val_acc 0.912, best 0.912)'");
  }
}
