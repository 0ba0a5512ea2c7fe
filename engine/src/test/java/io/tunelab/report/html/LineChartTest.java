package io.tunelab.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Axes, outliers and number formats of the line charts. */
class LineChartTest {
  private static final double[] EPOCHS = {1, 2, 3, 4, 5, 6};

  private static LineChart.Series series(String kind, double[] y) {
    return new LineChart.Series(
        "finetune", kind, "finetune " + kind, "#2563eb", false, EPOCHS, y, null, null, 2);
  }

  @Test
  void aSpikeGoesToTheTopEdgeInsteadOfFlatteningTheCurve() {
    String svg =
        new LineChart("c", "epoch", "loss", Html::tick, v -> Html.num(v, 4))
            .capOutliers()
            .markNonFinite()
            .add(series("val", new double[] {1.2, 0.9, 0.7, 4000, Double.NaN, 0.6}))
            .render();
    assertTrue(svg.contains("<path class=\"clipped\""), "the spike is marked");
    assertTrue(svg.contains("4000.0000 (off the scale)"), "its value is in the tooltip");
    assertTrue(svg.contains("<path class=\"diverged\""), "the NaN is marked");
    List<Double> ticks = ticks(svg);
    assertTrue(ticks.get(ticks.size() - 1) < 10, "the axis ends near the other values: " + ticks);
    assertEquals(
        4,
        Pattern.compile("<circle class=\"point\"").matcher(svg).results().count(),
        "points for the finite values drawn to scale, but not for the spike and the NaN");
  }

  @Test
  void learningRatesThatSpanDecadesAreDrawnOnALogAxisAndConstantOnesFromZero() {
    String wide =
        new LineChart("lr", "epoch", "learning rate", Html::sci, Html::sig)
            .logWhenWide()
            .add(series("lr", new double[] {1e-2, 5e-3, 1e-3, 1e-4, 1e-5, 1e-5}))
            .render();
    assertTrue(wide.contains("(log scale)"));
    assertTrue(wide.contains(">1e-5</text>") && wide.contains(">1e-2</text>"), wide);
    String flat =
        new LineChart("lr", "epoch", "learning rate", Html::sci, Html::sig)
            .logWhenWide()
            .add(series("lr", new double[] {1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3}))
            .render();
    assertFalse(flat.contains("(log scale)"));
    assertTrue(flat.contains(">0</text>"), "from zero: " + flat);
  }

  @Test
  void numbersAreShortAndLocaleFree() {
    assertEquals("0.5", Html.tick(0.5));
    assertEquals("2", Html.tick(2.0));
    assertEquals("0", Html.tick(-0.0));
    assertEquals("1e-5", Html.tick(1e-5));
    assertEquals("2e-4", Html.sci(2e-4));
    assertEquals("1.5e-3", Html.sci(0.0015));
    assertEquals("0", Html.sci(0));
    assertEquals("NaN", Html.num(Double.NaN, 2));
    assertEquals("81.3%", Html.pct(0.813, 1));
    assertEquals("12.5", Html.xy(12.46));
    assertEquals("12", Html.xy(12.04));
    assertEquals("&lt;b&gt; &amp; &quot;x&quot; &#39;y&#39;", Html.escape("<b> & \"x\" 'y'"));
  }

  private static List<Double> ticks(String svg) {
    String axis =
        svg.substring(
            svg.indexOf("<g class=\"axis y-axis\">"), svg.indexOf("<g class=\"axis x-axis\">"));
    Matcher m = Pattern.compile("text-anchor=\"end\">([^<]+)</text>").matcher(axis);
    return m.results().map(r -> Double.parseDouble(r.group(1))).toList();
  }
}
