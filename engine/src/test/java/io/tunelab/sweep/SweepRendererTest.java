package io.tunelab.sweep;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.workflows.model.RunStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sweep report as Markdown and as a self-contained HTML page, from the JSON alone. */
class SweepRendererTest {
  private static final double[] CALM = {0.9, 0.6, 0.5, 0.55};
  private static final double[] SWINGING = {1.2, 0.7, 1.4, 0.8};

  private static JsonNode report() {
    Map<String, List<String>> vary = new LinkedHashMap<>();
    vary.put("lr", List.of("0.001", "0.0001"));
    SweepFixture f = new SweepFixture("sw", vary, List.of(1L, 2L));
    f.plant(1, 1, RunStatus.COMPLETED, 0.70, SWINGING, 2, "val-fluctuation", "lr-too-high");
    f.plant(
        1,
        2,
        RunStatus.FAILED,
        Double.NaN,
        new double[] {1.0, Double.NaN},
        1,
        "lr-too-high",
        "val-fluctuation");
    f.plant(2, 1, RunStatus.COMPLETED, 0.86, CALM, 3, "healthy");
    f.plant(2, 2, RunStatus.COMPLETED, 0.88, new double[] {0.8, 0.5, 0.45, 0.5}, 3, "healthy");
    return new SweepReports(f.store).build(f.spec, RunStatus.COMPLETED, id -> Optional.empty());
  }

  @Test
  void markdownHasTheConfigsComparisonsFindingsAndMembers() {
    String md = new SweepRenderer().markdown(report());
    System.out.println(md);
    assertTrue(md.startsWith("# tunelab sweep sw\n"));
    assertTrue(md.contains("Best: **config 2** (lr=0.0001), test accuracy 0.870 ["), md);
    assertTrue(md.contains("| 2 ★ | lr=0.0001 | 2/2 | 0.870 ["), md);
    assertTrue(md.contains("| 1 | lr=0.001 | 1/2 | 0.700 |"), "one completed run: mean only");
    assertTrue(md.contains("## Comparisons with the best config"));
    assertTrue(md.contains("| 2 | 1 | testAcc | +0.170 |"), md);
    assertTrue(md.contains("- **cause-depends-on-setting** (info, configs 1):"), md);
    assertTrue(md.contains("| `sw-c1-s2` | 1 | 2 | FAILED | – |"), md);
    assertTrue(md.contains("lr-too-high, val-fluctuation |"), "a member's findings beside it");
  }

  @Test
  void htmlIsSelfContainedWithOverlaidCurvesTablesAndFindings() {
    String html = new SweepRenderer().html(report());
    assertTrue(html.startsWith("<!doctype html>"));
    assertTrue(html.contains("<title>tunelab sweep sw</title>"));
    assertTrue(html.contains("id=\"chart-sweep-val-loss\""), "the overlaid validation curves");
    assertTrue(html.contains("data-arm=\"config 1\""), "a line per config");
    assertTrue(html.contains("data-arm=\"config 2\""));
    assertTrue(html.contains("class=\"band"), "the band of a config with two seeds");
    assertTrue(html.contains("95% interval of the mean over seeds"));
    assertTrue(html.contains("id=\"configs-table\""));
    assertTrue(html.contains("id=\"comparisons-table\""));
    assertTrue(html.contains("id=\"members-table\""));
    assertTrue(html.contains("data-code=\"cause-depends-on-setting\""));
    assertTrue(html.contains("data-run=\"sw-c1-s2\""));
    assertTrue(html.contains(">lr-too-high</span>"));
    assertFalse(html.contains("<script"), "no script");
    assertFalse(html.contains("src=\"http"), "nothing loaded from elsewhere");
    assertFalse(html.contains("could not be drawn"), html);
  }

  @Test
  void htmlOfASweepWithNothingDoneYetStillRenders() {
    Map<String, List<String>> vary = new LinkedHashMap<>();
    vary.put("lr", List.of("0.001", "0.0001"));
    SweepFixture f = new SweepFixture("empty", vary, List.of(1L));
    JsonNode report =
        new SweepReports(f.store).build(f.spec, RunStatus.RUNNING, id -> Optional.empty());
    String html = new SweepRenderer().html(report);
    assertTrue(html.contains("No epochs yet."));
    assertFalse(html.contains("could not be drawn"), html);
    assertTrue(new SweepRenderer().markdown(report).contains("none yet"));
  }
}
