package io.tunelab.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.storage.Json;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The preview of augmented images: named in Markdown, embedded in HTML when it can be read. */
class ReportRendererTest {
  private static final String KEY = "ingests/abc/augmented/strong-seed1.png";
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

  private static ObjectNode report() {
    ObjectNode report = Json.mapper().createObjectNode();
    report.put("runId", "r1");
    report.put("status", "COMPLETED");
    ObjectNode dataset = report.putObject("dataset");
    dataset.putArray("classes").add("a").add("b");
    dataset.putArray("rejected");
    dataset.put("augmentedSamples", KEY);
    return report;
  }

  @Test
  void htmlEmbedsThePreviewAsADataUri() {
    String html = new ReportRenderer().html(report(), key -> key.equals(KEY) ? PNG : null);
    assertTrue(
        html.contains(
            "<img alt=\"Augmented training samples\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(PNG)
                + "\">"),
        html);
    assertFalse(html.contains(KEY), "the key is replaced by the image");
  }

  @Test
  void markdownAndHtmlWithoutTheObjectNameTheKey() {
    assertTrue(new ReportRenderer().markdown(report()).contains("`" + KEY + "`"));
    String html = new ReportRenderer().html(report());
    assertTrue(html.contains(KEY), html);
    assertFalse(html.contains("data:image/png"), html);
  }
}
