package io.tunelab.report.html;

import io.tunelab.workflows.model.EpochMetrics;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The three curve charts of the page: loss and accuracy (train dashed, validation solid, every arm
 * on shared axes, the validation noise band shaded) and the learning rate per arm.
 */
final class CurveCharts {
  private final RunView view;
  private final Map<String, ValidationBands> bands;

  /**
   * The charts of a run.
   *
   * @param view the run's arms and epochs
   * @param bands each arm's validation noise bands, by arm name
   */
  CurveCharts(RunView view, Map<String, ValidationBands> bands) {
    this.view = view;
    this.bands = bands;
  }

  /** Train and validation loss of every arm. */
  LineChart loss() {
    LineChart chart =
        new LineChart("chart-loss", "epoch", "cross-entropy loss", Html::tick, v -> Html.num(v, 4))
            .capOutliers()
            .markNonFinite()
            .clamp(0, Double.POSITIVE_INFINITY)
            .legendByArm("training", "validation")
            .bandLabel("95% noise band of validation loss (bootstrap over per-image losses)");
    for (RunView.Arm arm : view.arms()) {
      ValidationBands b = bands.get(arm.name());
      chart.add(series(arm, "train", "train loss", true, EpochMetrics::trainLoss, null, null));
      chart.add(
          series(
              arm,
              "val",
              "validation loss",
              false,
              EpochMetrics::valLoss,
              b == null || b.lossBands() == 0 ? null : b.lossLow(),
              b == null || b.lossBands() == 0 ? null : b.lossHigh()));
    }
    return chart;
  }

  /** Train and validation accuracy of every arm. */
  LineChart accuracy() {
    LineChart chart =
        new LineChart(
                "chart-accuracy", "epoch", "accuracy", v -> Html.pct(v, 0), v -> Html.pct(v, 1))
            .clamp(0, 1)
            .legendByArm("training", "validation")
            .bandLabel(
                "95% noise band of validation accuracy (Wilson interval for " + sizeText() + ")");
    for (RunView.Arm arm : view.arms()) {
      ValidationBands b = bands.get(arm.name());
      chart.add(series(arm, "train", "train accuracy", true, EpochMetrics::trainAcc, null, null));
      chart.add(
          series(
              arm,
              "val",
              "validation accuracy",
              false,
              EpochMetrics::valAcc,
              b == null || b.size() == 0 ? null : b.accLow(),
              b == null || b.size() == 0 ? null : b.accHigh()));
    }
    return chart;
  }

  /** The learning rate of every arm, epoch by epoch. */
  LineChart learningRate() {
    LineChart chart =
        new LineChart("chart-lr", "epoch", "learning rate", Html::sci, Html::sig)
            .logWhenWide()
            .widenEarlierLines()
            .clamp(0, Double.POSITIVE_INFINITY);
    for (RunView.Arm arm : view.arms()) {
      chart.add(series(arm, "lr", "", false, EpochMetrics::lr, null, null));
    }
    return chart;
  }

  private String sizeText() {
    int n = bands.values().stream().mapToInt(ValidationBands::size).max().orElse(0);
    return n > 0 ? n + " validation images" : "the validation set's size";
  }

  private static LineChart.Series series(
      RunView.Arm arm,
      String kind,
      String what,
      boolean dashed,
      ToDoubleFunction<EpochMetrics> value,
      double[] low,
      double[] high) {
    double[] x = arm.epochs().stream().mapToDouble(EpochMetrics::epoch).toArray();
    double[] y = arm.epochs().stream().mapToDouble(value).toArray();
    return new LineChart.Series(
        arm.name(),
        kind,
        what.isEmpty() ? arm.name() : arm.name() + " " + what,
        arm.colour(),
        dashed,
        x,
        y,
        low,
        high,
        "val".equals(kind) && arm.bestEpoch() > 0 ? arm.bestEpoch() : -1);
  }
}
