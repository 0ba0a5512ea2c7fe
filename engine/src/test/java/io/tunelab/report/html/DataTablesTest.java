package io.tunelab.report.html;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.storage.Json;
import org.junit.jupiter.api.Test;

class DataTablesTest {

  @Test
  void clipsCountTheirVideosBesideTheStacks() {
    JsonNode dataset =
        Json.tree(
            ("{\"classes\":[\"grow\",\"shrink\"],"
                    + "\"splits\":{\"train\":{\"grow\":8,\"shrink\":6},\"val\":{\"grow\":2,\"shrink\":2},"
                    + "\"test\":{\"grow\":2,\"shrink\":2}},"
                    + "\"videos\":{\"train\":{\"grow\":4,\"shrink\":3},\"val\":{\"grow\":1,\"shrink\":1},"
                    + "\"test\":{\"grow\":1,\"shrink\":1}}}")
                .getBytes());
    String html = DataTables.counts(dataset);
    assertTrue(html.contains("<caption>stacks (videos)</caption>"), html);
    assertTrue(html.contains("<td class=\"num\">8 <span class=\"videos\">(4)</span></td>"), html);
    // the grow row's total, and the table's: 22 stacks of 11 videos
    assertTrue(html.contains("<td class=\"num\">12 <span class=\"videos\">(6)</span></td>"), html);
    assertTrue(html.contains("<td class=\"num\">22 <span class=\"videos\">(11)</span></td>"), html);
  }

  @Test
  void imagesAreCountedAsBefore() {
    JsonNode dataset =
        Json.tree(
            ("{\"classes\":[\"a\"],\"splits\":{\"train\":{\"a\":5},\"val\":{\"a\":1},"
                    + "\"test\":{\"a\":1}}}")
                .getBytes());
    String html = DataTables.counts(dataset);
    assertFalse(html.contains("videos"), html);
    assertTrue(html.contains("<td class=\"num\">7</td>"), html);
  }
}
