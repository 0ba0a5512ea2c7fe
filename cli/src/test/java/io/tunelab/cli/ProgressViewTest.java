package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.tunelab.dataset.DatasetActivitiesImpl;
import io.tunelab.training.TrainingActivitiesImpl;
import io.tunelab.workflows.model.RunState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ingest bar: heartbeats as the worker sends them, shown on a terminal and nowhere else. */
class ProgressViewTest {
  private static final RunState INGESTING = new RunState("r1", "experiment", "RUNNING",
      "ingesting /data", null, Map.of(), null, List.of(), null, null, null, null);

  /** Heartbeat details after the round trip through Temporal's payloads, as the CLI reads them. */
  private static Optional<Map<String, Object>> received(Object heartbeat) {
    DataConverter converter = DefaultDataConverter.newDefaultInstance();
    Object details = converter.fromPayloads(0, converter.toPayloads(heartbeat), Object.class,
        Object.class);
    return Launcher.progress(details);
  }

  @Test
  void ingestAndTrainingHeartbeatsAreProgressButPlainStringsAreNot() {
    Map<String, Object> ingest = received(new DatasetActivitiesImpl.Progress("ingest", 120, 480))
        .orElseThrow();
    assertEquals("ingest", ingest.get("stage"));
    assertEquals(120, ((Number) ingest.get("done")).intValue());
    assertEquals(480, ((Number) ingest.get("total")).intValue());
    assertTrue(received(new TrainingActivitiesImpl.Progress("finetune", 1, 3, 10, 0.5))
        .isPresent());
    assertFalse(received("120/480").isPresent(), "the old string heartbeat");
  }

  @Test
  void aTerminalShowsAnIngestBar() {
    StringWriter out = new StringWriter();
    ProgressView view = new ProgressView(new PrintWriter(out), true);
    view.update(INGESTING, List.of(received(new DatasetActivitiesImpl.Progress("ingest", 120,
        480)).orElseThrow()));
    assertTrue(out.toString().contains("[r1] ingesting /data\n"), out.toString());
    assertTrue(out.toString().contains("\ringest [######..................] 120/480 images"),
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
}
