package io.tunelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.DatasetIngest;
import io.tunelab.dataset.Ingestor;
import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.Json;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SampleShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table's report: {@code dataset.table} carries the features, the one-hot columns and the
 * per-feature statistics per split, and the HTML data section shows them in a per-feature table
 * with no image preview.
 */
class TableReportTest {
  @TempDir Path home;

  @Test
  void theDataSectionOfATableShowsItsFeatures() throws Exception {
    List<String> lines = new ArrayList<>(List.of("a,b,colour,label"));
    Random rng = new Random(3);
    for (int i = 0; i < 120; i++) {
      double a = rng.nextGaussian();
      lines.add(
          String.format(
              Locale.ROOT,
              "%.3f,%.3f,%s,%s",
              a,
              rng.nextDouble() * 100,
              rng.nextBoolean() ? "red" : "blue",
              a > 0 ? "up" : "down"));
    }
    Path csv = Files.write(home.resolve("rows.csv"), lines);
    InMemoryObjectStore store = new InMemoryObjectStore();
    DatasetRef ref =
        new DatasetIngest(store, new Ingestor(1), null, (t, au, s) -> null)
            .ingest(
                new IngestRequest(
                    csv.toString(),
                    List.of(),
                    0,
                    1,
                    SampleShape.image(1, 28, 28),
                    false,
                    null,
                    null,
                    null,
                    null,
                    List.of()),
                p -> {});
    RunState state =
        new RunState(
            "run",
            "experiment",
            RunStatus.COMPLETED,
            "done",
            ref,
            Map.of(),
            null,
            List.of(),
            null,
            null,
            null,
            null);
    JsonNode report = new ReportBuilder().build(state, Json.tree(store.get(ref.profileKey())));
    JsonNode table = report.path("dataset").path("table");
    assertEquals("label", table.path("label").asText());
    assertEquals(List.of("a", "b", "colour=blue", "colour=red"), texts(table.path("features")));
    assertEquals(List.of("blue", "red"), texts(table.path("oneHot").path("colour")));
    JsonNode b = table.path("statistics").path("val").path("b");
    assertTrue(b.path("max").asDouble() <= 100 && b.path("min").asDouble() >= 0, b.toString());
    assertEquals("4", report.path("dataset").path("shape").asText());

    String html =
        new ReportRenderer().html((com.fasterxml.jackson.databind.node.ObjectNode) report);
    assertTrue(html.contains("id=\"feature-stats\""), "the per-feature table");
    assertTrue(html.contains("<code>colour</code> (blue, red)"), "the one-hot columns");
    assertFalse(html.contains("class=\"preview\""), "no image preview");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
