package io.tunelab.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  record Counts(String name, Map<String, Integer> perSplit, List<String> classes) {}

  private static Counts counts() {
    Map<String, Integer> perSplit = new LinkedHashMap<>();
    perSplit.put("train", 8);
    perSplit.put("val", 2);
    perSplit.put("test", 2);
    return new Counts("c", perSplit, List.of("Trouser", "Coat"));
  }

  @Test
  void bytesSortsMapKeys() {
    String json = Json.text(counts());
    assertEquals(
        "{\n  \"name\" : \"c\",\n  \"perSplit\" : {\n    \"test\" : 2,\n    \"train\" : 8,\n"
            + "    \"val\" : 2\n  },\n  \"classes\" : [ \"Trouser\", \"Coat\" ]\n}",
        json);
  }

  @Test
  void bytesInMapOrderKeepsTheMapsOrder() {
    String json = new String(Json.bytesInMapOrder(counts()), StandardCharsets.UTF_8);
    assertEquals(
        "{\n  \"name\" : \"c\",\n  \"perSplit\" : {\n    \"train\" : 8,\n    \"val\" : 2,\n"
            + "    \"test\" : 2\n  },\n  \"classes\" : [ \"Trouser\", \"Coat\" ]\n}",
        json);
  }

  /** The dataset files were written by a mapper of their own; their bytes must not change. */
  @Test
  void bytesInMapOrderWritesWhatTheFormerDatasetMapperWrote() throws Exception {
    ObjectMapper former =
        new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    assertArrayEquals(former.writeValueAsBytes(counts()), Json.bytesInMapOrder(counts()));
  }

  @Test
  void readIgnoresUnknownPropertiesAndNamesTheTypeWhenMalformed() {
    byte[] json = "{\"name\":\"c\",\"extra\":1}".getBytes(StandardCharsets.UTF_8);
    assertEquals("c", Json.read(json, Counts.class).name());
    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class,
            () -> Json.read("{".getBytes(StandardCharsets.UTF_8), Counts.class));
    assertEquals(true, e.getMessage().startsWith("malformed Counts JSON"), e.getMessage());
  }
}
