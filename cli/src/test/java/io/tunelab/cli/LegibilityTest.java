package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.workflows.model.WatchState;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every workflow kind is legible in Temporal's UI: a CLI run, a pretraining run, a sweep and its
 * member, a watcher and the run it starts for a pushed version each show a summary, a memo and
 * tunelab's search attributes when described, every activity in their histories carries a summary,
 * and none of it holds a credential. Tiny data, one epoch, no probes, no scratch arm.
 */
@Tag("integration")
class LegibilityTest extends LiveStack {
  private static final String[] TINY = {"--epochs", "1", "--batch-size", "8", "--no-scratch"};

  @Test
  void everyWorkflowKindShowsASummaryAMemoAndSearchAttributes() throws Exception {
    Path data = home.resolve("tiny");
    FashionMnistFolders.export(fashionTrain(), new int[] {0, 1}, 20, 5, data);
    CliHarness.Result pretrain =
        cli.run(
            "pretrain",
            "--data",
            data.toString(),
            "--name",
            "leg-base",
            "--run-name",
            "leg-pretrain",
            "--epochs",
            "1",
            "--batch-size",
            "8",
            "--wait");
    assertEquals(0, pretrain.code(), pretrain.err());

    // the sweep and the watcher's run train while the CLI run does
    assertEquals(
        0,
        cli.run(
                with(
                    "sweep",
                    "--data",
                    data.toString(),
                    "--pretrained",
                    "leg-base",
                    "--no-probes",
                    "--vary",
                    "lr=0.01",
                    "--name",
                    "leg-sweep"))
            .code());
    CliHarness.Result watch =
        cli.run(
            with(
                "watch",
                "--dataset",
                "legds",
                "--pretrained",
                "leg-base",
                "--no-probes",
                "--poll-interval",
                "200ms",
                // a summary does not outlive continue-as-new (WatcherWorkflowTest: memo and
                // attributes do); this watcher stays in its first execution
                "--continue-as-new-every",
                "10000"));
    assertEquals(0, watch.code(), watch.err());
    CliHarness.Result push = cli.run("data", "push", data.toString(), "--dataset", "legds");
    assertEquals(0, push.code(), push.err());
    CliHarness.Result run =
        cli.run(
            with(
                "run",
                "--data",
                data.toString(),
                "--pretrained",
                "leg-base",
                "--no-probes",
                "--name",
                "leg-run",
                "--wait"));
    assertEquals(0, run.code(), run.err());

    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    String watchedRun = watchedRun(client);
    awaitClosed("leg-sweep");
    awaitClosed(watchedRun);
    assertEquals(0, cli.run("watch", "--dataset", "legds", "--stop").code());

    Map<String, String> kinds =
        Map.of(
            "leg-run",
            "experiment",
            "leg-pretrain",
            "pretrain",
            "leg-sweep",
            "sweep",
            "leg-sweep-c1-s42",
            "experiment",
            "watch-legds",
            "watcher",
            watchedRun,
            "experiment");
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    for (var kind : kinds.entrySet()) {
      String id = kind.getKey();
      DescribeWorkflowExecutionResponse d = describe(id);
      String summary = text(d.getExecutionConfig().getUserMetadata().getSummary());
      assertTrue(summary.length() > 10, id + " has a summary: " + summary);
      var memo = d.getWorkflowExecutionInfo().getMemo().getFieldsMap();
      assertEquals('"' + kind.getValue() + '"', text(memo.get("kind")), id + " memo " + memo);
      var attributes = d.getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap();
      assertEquals(
          '"' + kind.getValue() + '"', text(attributes.get("TunelabKind")), id + " attributes");
      assertTrue(attributes.containsKey("TunelabDataset"), id + " " + attributes.keySet());
      assertTrue(attributes.containsKey("TunelabTrigger"), id + " " + attributes.keySet());

      WorkflowExecutionHistory history = client.fetchHistory(id);
      int scheduled = 0;
      for (HistoryEvent e : history.getEvents()) {
        if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
          scheduled++;
          String activity = e.getActivityTaskScheduledEventAttributes().getActivityType().getName();
          assertFalse(
              text(e.getUserMetadata().getSummary()).isEmpty(),
              id + ": activity " + activity + " has a summary");
        }
      }
      assertTrue(scheduled >= 2, id + " scheduled activities: " + scheduled);
      HistoryHygiene.assertClean(history, creds.accessKey(), creds.secretKey());
    }
    assertEquals(
        "\"watch\"",
        text(
            describe(watchedRun)
                .getWorkflowExecutionInfo()
                .getMemo()
                .getFieldsMap()
                .get("trigger")));
    assertEquals(
        "\"leg-sweep\"",
        text(
            describe("leg-sweep-c1-s42")
                .getWorkflowExecutionInfo()
                .getSearchAttributes()
                .getIndexedFieldsMap()
                .get("TunelabSweep")));
  }

  /** The id of the run the watcher started for the pushed version, once it has started one. */
  private static String watchedRun(WorkflowClient client) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      WatchState state =
          client.newUntypedWorkflowStub("watch-legds").query("state", WatchState.class);
      if (state.lastRunId() != null) {
        return state.lastRunId();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the watcher started no run");
  }

  private static String[] with(String... args) {
    String[] all = new String[args.length + TINY.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(TINY, 0, all, args.length, TINY.length);
    return all;
  }

  private static DescribeWorkflowExecutionResponse describe(String id) {
    return stubs
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                .build());
  }

  private static String text(Payload payload) {
    return payload == null ? "" : payload.getData().toStringUtf8();
  }
}
