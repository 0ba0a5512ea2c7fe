package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.tunelab.dataset.IngestStage;
import io.tunelab.training.EpochProgress;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ingest bar: heartbeats as the worker sends them, shown on a terminal and nowhere else. */
class ProgressViewTest {
  private static final RunState INGESTING =
      new RunState(
          "r1",
          "experiment",
          RunStatus.RUNNING,
          "ingesting /data",
          null,
          Map.of(),
          null,
          List.of(),
          null,
          null,
          null,
          null);

  /** Heartbeat details after the round trip through Temporal's payloads, as the CLI reads them. */
  private static Optional<Map<String, Object>> received(Object heartbeat) {
    DataConverter converter = DefaultDataConverter.newDefaultInstance();
    Object details =
        converter.fromPayloads(0, converter.toPayloads(heartbeat), Object.class, Object.class);
    return Launcher.progress(details);
  }

  @Test
  void ingestAndTrainingHeartbeatsAreProgressButPlainStringsAreNot() {
    Map<String, Object> ingest = received(new IngestStage("ingest", 120, 480)).orElseThrow();
    assertEquals("ingest", ingest.get("stage"));
    assertEquals(120, ((Number) ingest.get("done")).intValue());
    assertEquals(480, ((Number) ingest.get("total")).intValue());
    assertTrue(received(EpochProgress.of("finetune", 1, 4, 3, 10, 0.5)).isPresent());
    assertFalse(received("120/480").isPresent(), "the old string heartbeat");
  }

  @Test
  void aTerminalShowsAnIngestBar() {
    StringWriter out = new StringWriter();
    ProgressView view = new ProgressView(new PrintWriter(out), true);
    view.update(INGESTING, List.of(received(new IngestStage("ingest", 120, 480)).orElseThrow()));
    assertTrue(out.toString().contains("[r1] ingesting /data\n"), out.toString());
    assertTrue(
        out.toString().contains("\ringest [######..................] 120/480 images"),
        out.toString());
    view.finish(INGESTING);
    assertTrue(out.toString().endsWith("\r\033[K"), "the bar is cleared at the end");
  }

  @Test
  void offATerminalThereIsNoBarAndNoControlCharacter() {
    StringWriter out = new StringWriter();
    ProgressView view = new ProgressView(new PrintWriter(out), false);
    for (int done = 0; done <= 480; done += 120) {
      view.update(INGESTING, List.of(Map.of("stage", "ingest", "done", done, "total", 480)));
    }
    view.finish(INGESTING);
    assertEquals("[r1] ingesting /data\n", out.toString().replace("\r\n", "\n"));
  }

  @Test
  void anEpochZeroIsShownAsTheEvaluationBeforeTraining() {
    StringWriter out = new StringWriter();
    ProgressView view = new ProgressView(new PrintWriter(out), false);
    var finetune =
        new io.tunelab.workflows.model.ArmResult(
            Arm.FINETUNE,
            RunStatus.RUNNING,
            List.of(
                new io.tunelab.workflows.model.EpochMetrics(0, 0.31, 0.9, 0.32, 0.9, 0, 0.2),
                new io.tunelab.workflows.model.EpochMetrics(1, 0.5, 0.8, 0.4, 0.85, 0.01, 30.0)),
            1,
            "k1",
            "k1",
            false,
            null,
            null,
            null,
            List.of());
    view.update(
        new RunState(
            "r1",
            "experiment",
            RunStatus.RUNNING,
            "training",
            null,
            Map.of("finetune", finetune),
            null,
            List.of(),
            null,
            null,
            null,
            null),
        List.of());
    assertEquals(
        "  finetune epoch  0: train loss 0.3100 acc 0.900 | val loss 0.3200 acc 0.900 | before"
            + " training\n"
            + "  finetune epoch  1: train loss 0.5000 acc 0.800 | val loss 0.4000 acc 0.850 | lr 0.010"
            + " | 30.0 s\n",
        out.toString().replace("\r\n", "\n").replace("[r1] training\n", ""));
  }

  @Test
  void aTerminalShowsOneLinePerArmWithEpochOfEpochsLossAndEta() {
    StringWriter out = new StringWriter();
    long[] now = {0};
    ProgressView view = new ProgressView(new PrintWriter(out), true, () -> now[0]);
    var finetune =
        new io.tunelab.workflows.model.ArmResult(
            Arm.FINETUNE,
            RunStatus.RUNNING,
            List.of(
                new io.tunelab.workflows.model.EpochMetrics(1, 0.5, 0.8, 0.4, 0.85, 0.01, 30.0)),
            1,
            "k1",
            "k1",
            false,
            null,
            null,
            null,
            List.of());
    Map<String, io.tunelab.workflows.model.ArmResult> arms = new java.util.LinkedHashMap<>();
    arms.put("finetune", finetune);
    arms.put("scratch", io.tunelab.workflows.model.ArmResult.pending(Arm.SCRATCH));
    RunState training =
        new RunState(
            "r1",
            "experiment",
            RunStatus.RUNNING,
            "training",
            null,
            arms,
            null,
            List.of(),
            null,
            null,
            null,
            null);
    view.update(
        training,
        List.of(
            received(EpochProgress.of("scratch", 1, 4, 10, 100, 2.0)).orElseThrow(),
            received(EpochProgress.of("finetune", 2, 4, 20, 100, 0.5)).orElseThrow()));
    now[0] = 10_000_000_000L; // 10 s later: 20 more steps each
    view.update(
        training,
        List.of(
            received(EpochProgress.of("finetune", 2, 4, 40, 100, 0.45)).orElseThrow(),
            received(EpochProgress.of("scratch", 1, 4, 30, 100, 1.5)).orElseThrow()));
    String text = out.toString();
    String last = text.substring(text.lastIndexOf("\r"));
    // the block of two lines is redrawn in place: back to its first line, finetune first
    assertTrue(
        last.startsWith(
            "\r\033[1Afinetune epoch 2/4 [##########..............] 40/100 loss 0.450 ETA 1:30\033[K\n"),
        last);
    // finetune: 60 steps at 0.5 s = 30 s, then 2 epochs of 30 s (epoch 1's time) = 1:30;
    // scratch: 70 steps at 0.5 s = 35 s, then 3 epochs of 100 steps at 0.5 s = 150 s = 3:05
    assertTrue(
        last.contains("scratch  epoch 1/4 [#######.................] 30/100 loss 1.500 ETA 3:05"),
        last);
    view.finish(training);
    assertTrue(out.toString().endsWith("\r\033[1A\033[J"), "the block is cleared at the end");
  }
}
