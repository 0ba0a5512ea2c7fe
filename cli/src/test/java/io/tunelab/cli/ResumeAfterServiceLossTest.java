package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.IdxReader;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.EmbeddedTemporal;
import io.tunelab.infra.FreePorts;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.Json;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded Temporal service dies with a run in flight (its state is in memory, so the workflow
 * is gone); after a restart, {@code tunelab resume} rebuilds the run from the bucket and finishes
 * it from its last checkpoint.
 */
@Tag("integration")
class ResumeAfterServiceLossTest {
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir Path home;

  private static final class Temporal implements AutoCloseable {
    final EmbeddedTemporal server;
    final WorkflowServiceStubs stubs;
    final TunelabWorker worker;

    Temporal(ObjectStore store) {
      server = EmbeddedTemporal.start(0);
      stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
      worker =
          TunelabWorker.start(
              WorkflowClient.newInstance(
                  stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build()),
              "tunelab",
              store,
              WorkerSettings.defaults());
    }

    @Override
    public void close() {
      worker.close();
      stubs.shutdownNow();
      server.close();
    }
  }

  @Test
  void resumeFinishesARunWhoseWorkflowWasLost() throws Exception {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    try (EmbeddedObjectStore s3 =
        EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab")) {
      ObjectStore store =
          ObjectStore.connect(
              new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
      LabeledImages train =
          IdxReader.read(
              FASHION.resolve("train-images-idx3-ubyte.gz"),
              FASHION.resolve("train-labels-idx1-ubyte.gz"));
      Path source = home.resolve("source");
      Path target = home.resolve("target");
      FashionMnistFolders.export(train, new int[] {0, 1, 2}, 100, 1, source);
      FashionMnistFolders.export(train, new int[] {5, 7, 9}, 400, 2, target);

      try (Temporal first = new Temporal(store)) {
        CliHarness cli = new CliHarness(home, first.server.target(), s3.endpoint());
        CliHarness.Result pre =
            cli.run(
                "pretrain",
                "--data",
                source.toString(),
                "--name",
                "lost-src",
                "--epochs",
                "1",
                "--wait");
        assertEquals(0, pre.code(), pre.err());
        CliHarness.Result started =
            cli.run(
                "run",
                "--data",
                target.toString(),
                "--pretrained",
                "lost-src",
                "--epochs",
                "5",
                "--early-stopping-patience",
                "0",
                "--no-scratch",
                "--name",
                "lost");
        assertEquals(0, started.code(), started.err());
        Instant end = Instant.now().plusSeconds(120);
        while (epochs(cli, "lost") < 2) {
          assertTrue(Instant.now().isBefore(end), "two epochs within two minutes");
          Thread.sleep(100);
        }
      } // the Temporal service and its worker are gone, and with them the workflow

      // No Temporal at all: list still lists, from the bucket, and says why statuses may be stale.
      CliHarness.Result offline =
          new CliHarness(home, "127.0.0.1:" + FreePorts.pick(), s3.endpoint()).run("list");
      assertEquals(0, offline.code(), offline.err());
      assertTrue(
          offline
              .err()
              .contains("cannot be reached: running runs show their last recorded" + " status"),
          offline.err());
      assertTrue(
          offline.out().lines().anyMatch(l -> l.startsWith("lost ") && l.contains(" RUNNING ")),
          offline.out());

      try (Temporal second = new Temporal(store)) {
        CliHarness cli = new CliHarness(home, second.server.target(), s3.endpoint());
        CliHarness.Result unknown = cli.run("status", "lost", "--json");
        assertTrue(
            Json.tree(unknown.out().getBytes()).path("phase").asText().contains("not known"),
            unknown.out());
        assertTrue(unknown.out().contains("'tunelab resume lost' continues it"), unknown.out());
        CliHarness.Result listed = cli.run("list");
        assertTrue(
            listed.out().lines().anyMatch(l -> l.startsWith("lost ") && l.contains(" LOST ")),
            listed.out());
        assertTrue(listed.out().contains("'tunelab resume RUN' continues it"), listed.out());
        JsonNode lostRun = Json.tree(cli.run("list", "--json").out().getBytes()).get(0);
        assertEquals("lost", lostRun.path("runId").asText());
        assertEquals("RUNNING", lostRun.path("status").asText());
        assertTrue(lostRun.path("workflowLost").asBoolean(), lostRun.toString());

        CliHarness.Result resumed = cli.run("resume", "lost", "--wait", "--json");
        assertEquals(0, resumed.code(), resumed.err());
        JsonNode report = Json.tree(resumed.out().getBytes());
        assertEquals("COMPLETED", report.path("status").asText());
        JsonNode arm = report.path("arms").path("finetune");
        List<Integer> epochs = new ArrayList<>();
        arm.path("epochs").forEach(e -> epochs.add(e.path("epoch").asInt()));
        assertEquals(List.of(1, 2, 3, 4, 5), epochs, "every epoch once");
        assertTrue(arm.path("resumedFromEpoch").asInt() >= 2, arm.toString());
        assertTrue(
            arm.path("notes").toString().contains("resumed from the bucket"), arm.toString());
        assertTrue(arm.path("test").path("acc").asDouble() > 0.5, arm.toString());

        CliHarness.Result again = cli.run("resume", "lost");
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("completed"), again.err());
      }
    }
  }

  /**
   * A sweep's workflow and its member's are lost with the service; {@code tunelab resume} of the
   * sweep continues the member from its checkpoint and starts the one that had not started.
   */
  @Test
  void resumeFinishesASweepWhoseWorkflowWasLost() throws Exception {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    try (EmbeddedObjectStore s3 =
        EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab")) {
      ObjectStore store =
          ObjectStore.connect(
              new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
      LabeledImages train =
          IdxReader.read(
              FASHION.resolve("train-images-idx3-ubyte.gz"),
              FASHION.resolve("train-labels-idx1-ubyte.gz"));
      Path source = home.resolve("source");
      Path target = home.resolve("target");
      FashionMnistFolders.export(train, new int[] {0, 1, 2}, 100, 1, source);
      FashionMnistFolders.export(train, new int[] {5, 7, 9}, 150, 2, target);

      try (Temporal first = new Temporal(store)) {
        CliHarness cli = new CliHarness(home, first.server.target(), s3.endpoint());
        CliHarness.Result pre =
            cli.run(
                "pretrain",
                "--data",
                source.toString(),
                "--name",
                "sw-lost-src",
                "--epochs",
                "1",
                "--wait");
        assertEquals(0, pre.code(), pre.err());
        CliHarness.Result started =
            cli.run(
                "sweep",
                "--data",
                target.toString(),
                "--pretrained",
                "sw-lost-src",
                "--epochs",
                "3",
                "--early-stopping-patience",
                "0",
                "--no-scratch",
                "--no-probes",
                "--vary",
                "lr=0.001,0.0005",
                "--name",
                "swl");
        assertEquals(0, started.code(), started.err());
        Instant end = Instant.now().plusSeconds(120);
        while (epochs(cli, "swl-c1-s42") < 1) {
          assertTrue(Instant.now().isBefore(end), "an epoch within two minutes");
          Thread.sleep(100);
        }
      } // the sweep's workflow and its member's are gone

      try (Temporal second = new Temporal(store)) {
        CliHarness cli = new CliHarness(home, second.server.target(), s3.endpoint());
        CliHarness.Result resumed = cli.run("resume", "swl", "--wait", "--json");
        assertEquals(0, resumed.code(), resumed.err());
        JsonNode report = Json.tree(resumed.out().getBytes());
        assertEquals("COMPLETED", report.path("status").asText(), report.toString());
        JsonNode member = Json.tree(cli.run("report", "swl-c1-s42").out().getBytes());
        List<Integer> epochs = new ArrayList<>();
        member
            .path("arms")
            .path("finetune")
            .path("epochs")
            .forEach(e -> epochs.add(e.path("epoch").asInt()));
        assertEquals(List.of(1, 2, 3), epochs, "every epoch once");
        assertTrue(
            member.path("arms").path("finetune").path("resumedFromEpoch").asInt() >= 1,
            member.toString());
        for (JsonNode config : report.path("configs")) {
          assertEquals(
              "COMPLETED", config.path("runs").get(0).path("status").asText(), config.toString());
        }
        CliHarness.Result again = cli.run("resume", "swl");
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("completed"), again.err());
      }
    }
  }

  private static int epochs(CliHarness cli, String run) {
    CliHarness.Result status = cli.run("status", run, "--json");
    return Json.tree(status.out().getBytes()).path("arms").path("finetune").path("epochs").asInt();
  }
}
