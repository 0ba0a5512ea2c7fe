package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.storage.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole path through the CLI entry point: the embedded Temporal service and S3 server on free
 * ports, a worker talking to them over the network, real Fashion-MNIST images, real DJL training.
 * Pretrain on classes 0–4, then fine-tune vs scratch on classes 5–9.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class EndToEndTest extends LiveStack {
  static Path source;
  static Path target;

  @BeforeAll
  static void exportImages() throws Exception {
    LabeledImages train = fashionTrain();
    source = home.resolve("source");
    target = home.resolve("target");
    FashionMnistFolders.export(train, new int[] {0, 1, 2, 3, 4}, 120, 1, source);
    FashionMnistFolders.export(train, new int[] {5, 6, 7, 8, 9}, 100, 2, target);
  }

  @Test
  @Order(1)
  void pretrainRegistersAModel() {
    CliHarness.Result r =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "fashion-src",
            "--epochs",
            "2",
            "--batch-size",
            "32",
            "--wait",
            "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode report = Json.tree(r.out().getBytes());
    assertEquals("COMPLETED", report.path("status").asText());
    assertEquals(2, report.path("arms").path("pretrain").path("epochs").size());
    assertEquals("fashion-src", report.path("registeredModel").path("name").asText());
    assertTrue(store.exists("models/fashion-src/latest.json"));
    assertTrue(report.path("registeredModel").path("testAcc").asDouble() > 0.5, r.out());
  }

  @Test
  @Order(2)
  void runComparesFineTuneWithScratchAndReports() {
    CliHarness.Result r =
        cli.run(
            "run",
            "--data",
            target.toString(),
            "--pretrained",
            "fashion-src",
            "--epochs",
            "2",
            "--name",
            "e2e-run",
            "--wait",
            "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode report = Json.tree(r.out().getBytes());
    assertEquals("e2e-run", report.path("runId").asText());
    assertEquals("COMPLETED", report.path("status").asText());
    assertEquals(5, report.path("dataset").path("classes").size());
    assertTrue(report.path("dataset").path("splits").path("train").size() == 5);
    for (String arm : new String[] {"finetune", "scratch"}) {
      JsonNode a = report.path("arms").path(arm);
      assertEquals(2, a.path("epochs").size(), arm);
      for (JsonNode epoch : a.path("epochs")) {
        int e = epoch.path("epoch").asInt();
        assertTrue(epoch.path("valAcc").asDouble() >= 0 && epoch.path("valAcc").asDouble() <= 1);
        assertTrue(
            store.exists(String.format("runs/e2e-run/%s/epoch-%04d/checkpoint.bin", arm, e)),
            "checkpoint of " + arm + " epoch " + e);
      }
      double acc = a.path("test").path("acc").asDouble();
      assertTrue(acc > 0.2 && acc <= 1.0, arm + " test acc " + acc);
      assertTrue(a.path("bestEpoch").asInt() >= 1);
    }
    assertTrue(report.path("comparison").has("pValue"));
    assertTrue(report.path("findings").size() >= 1);
    assertTrue(r.err().contains("epoch  1"), "progress on stderr: " + r.err());

    CliHarness.Result stored = cli.run("report", "e2e-run");
    assertEquals(0, stored.code(), stored.err());
    assertEquals(report, Json.tree(stored.out().getBytes()));

    CliHarness.Result md = cli.run("report", "e2e-run", "--format", "md");
    assertTrue(md.out().contains("## Findings"), md.out());
  }

  @Test
  @Order(3)
  void statusAndListShowTheRuns() {
    CliHarness.Result status = cli.run("status", "e2e-run", "--json");
    assertEquals(0, status.code(), status.err());
    assertEquals("COMPLETED", Json.tree(status.out().getBytes()).path("status").asText());
    CliHarness.Result text = cli.run("status", "e2e-run");
    assertTrue(text.out().startsWith("e2e-run COMPLETED"), text.out());
    assertTrue(
        text.out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("  finetune COMPLETED, ")
                        && l.contains(" of 2 epochs (last: val loss ")
                        && l.contains(", test acc ")),
        text.out());

    CliHarness.Result list = cli.run("list", "--json");
    assertEquals(0, list.code(), list.err());
    JsonNode runs = Json.tree(list.out().getBytes());
    assertTrue(runs.size() >= 2);
    JsonNode newest = runs.get(0);
    assertEquals("e2e-run", newest.path("runId").asText());
    for (String field :
        new String[] {"runId", "status", "dataset", "datasetVersion", "trigger", "startedAt"}) {
      assertTrue(newest.has(field), field);
    }
    assertEquals("cli", newest.path("trigger").asText());
  }

  @Test
  @Order(4)
  void aNameInUseIsRefusedAndRunWithoutWaitPrintsTheId() {
    CliHarness.Result again =
        cli.run(
            "run", "--data", target.toString(), "--pretrained", "fashion-src", "--name", "e2e-run");
    assertEquals(2, again.code(), again.err());
    assertTrue(again.err().contains("already in use"), again.err());

    CliHarness.Result started =
        cli.run(
            "run",
            "--data",
            target.toString(),
            "--pretrained",
            "fashion-src",
            "--epochs",
            "1",
            "--no-scratch");
    assertEquals(0, started.code(), started.err());
    String runId = started.lastLine();
    assertTrue(runId.startsWith("run-"), runId);
    CliHarness.Result cancel = cli.run("cancel", runId);
    assertEquals(0, cancel.code(), cancel.err());
  }

  @Test
  @Order(5)
  void anUnknownPretrainedModelIsABadInput() {
    CliHarness.Result r =
        cli.run(
            "run",
            "--data",
            target.toString(),
            "--pretrained",
            "no-such-model",
            "--epochs",
            "1",
            "--wait");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no model named 'no-such-model'"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());

    // Refused before a run is started, with or without --wait.
    CliHarness.Result noWait =
        cli.run(
            "run",
            "--data",
            target.toString(),
            "--pretrained",
            "no-such-model",
            "--name",
            "unknown-model-run");
    assertEquals(2, noWait.code(), noWait.err());
    assertTrue(
        noWait.err().contains("--pretrained no-such-model: no model named 'no-such-model'"),
        noWait.err());
    assertEquals(2, cli.run("status", "unknown-model-run").code(), "no run was started");
  }

  @Test
  @Order(6)
  void gpuWithoutAGpuFallsBackToTheCpuAndSaysSo() {
    CliHarness.Result r =
        cli.run(
            "run",
            "--data",
            target.toString(),
            "--pretrained",
            "fashion-src",
            "--epochs",
            "1",
            "--no-scratch",
            "--device",
            "gpu",
            "--wait",
            "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode notes = Json.tree(r.out().getBytes()).path("arms").path("finetune").path("notes");
    assertTrue(notes.toString().contains("falling back to the CPU"), notes.toString());
  }

  @Test
  @Order(7)
  void runWaitEndsWithTheFindingsMostSevereFirst() {
    CliHarness.Result r =
        cli.run(
            "run",
            "--data",
            target.toString(),
            "--pretrained",
            "fashion-src",
            "--epochs",
            "2",
            "--no-scratch",
            "--wait");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    int header = -1;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].equals("findings, most severe first:")) {
        header = i;
      }
    }
    assertTrue(header > 0, r.out());
    java.util.List<String> order = java.util.List.of("critical", "warning", "info");
    int previous = 0;
    int findings = 0;
    for (int i = header + 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith("evidence:") || line.startsWith("do:")) {
        continue;
      }
      assertTrue(line.startsWith("["), "only findings after the header: " + line);
      int rank = order.indexOf(line.substring(1, line.indexOf(']')));
      assertTrue(rank >= previous, "most severe first: " + r.out());
      previous = rank;
      findings++;
    }
    assertTrue(findings >= 1, r.out());
  }
}
