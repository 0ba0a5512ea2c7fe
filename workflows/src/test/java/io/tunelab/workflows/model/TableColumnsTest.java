package io.tunelab.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A table's columns travel in the specs and the ingest request; JSON written before tables reads as
 * the defaults, and the defaults are not written, so image runs' inputs look as before.
 */
class TableColumnsTest {
  private static final ObjectMapper TEMPORAL = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  @Test
  void columnsAreCheckedAndDefaultWhenAbsent() {
    TableColumns c = new TableColumns(" y ", List.of("id", " ", "name "));
    assertEquals("y", c.label());
    assertEquals(List.of("id", "name"), c.ignore());
    assertEquals(TableColumns.DEFAULT, TableColumns.of(null));
    assertThrows(IllegalArgumentException.class, () -> new TableColumns("y", List.of("y")));
  }

  @Test
  void anIngestRequestWithoutColumnsReadsAndWritesAsBefore() throws Exception {
    IngestRequest old =
        new IngestRequest("/data", List.of(), 0, 1, SampleShape.image(1, 28, 28), false);
    String json = TEMPORAL.writeValueAsString(old);
    assertFalse(json.contains("label") || json.contains("ignoreColumns"), json);
    IngestRequest back = TEMPORAL.readValue(json, IngestRequest.class);
    assertNull(back.label());
    assertEquals(List.of(), back.ignoreColumns());

    IngestRequest table =
        new IngestRequest(
            "/t.csv",
            List.of(),
            0,
            1,
            SampleShape.table(3),
            false,
            null,
            "y",
            List.of("id"),
            null,
            List.of());
    assertEquals(
        table, TEMPORAL.readValue(TEMPORAL.writeValueAsString(table), IngestRequest.class));
  }

  @Test
  void aPretrainSpecCarriesItsColumns() throws Exception {
    PretrainSpec spec =
        new PretrainSpec(
            "pretrain-t",
            "/t.csv",
            List.of(),
            0,
            "t",
            "mlp",
            28,
            TrainingParams.builder().epochs(5).batchSize(32).learningRate(0.001).build(),
            new TableColumns("y", List.of("id")),
            null);
    PretrainSpec back = TEMPORAL.readValue(TEMPORAL.writeValueAsString(spec), PretrainSpec.class);
    assertEquals(spec.columns(), back.columns());
    PretrainSpec image =
        new PretrainSpec(
            "pretrain-i",
            "/d",
            List.of(),
            0,
            "i",
            "cnn",
            28,
            TrainingParams.builder().epochs(5).batchSize(32).learningRate(0.001).build(),
            null,
            null);
    assertFalse(TEMPORAL.writeValueAsString(image).contains("columns"));
    assertNull(
        TEMPORAL.readValue(TEMPORAL.writeValueAsString(image), PretrainSpec.class).columns());
  }
}
