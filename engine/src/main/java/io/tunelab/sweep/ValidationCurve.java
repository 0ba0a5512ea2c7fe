package io.tunelab.sweep;

import io.tunelab.workflows.model.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A config's validation loss curve: per epoch, the mean over its runs and the 95% interval of that
 * mean, for the overlaid chart of the sweep page. Runs stopped early simply end, so later epochs
 * average fewer runs ({@code n} per epoch says how many).
 *
 * @param epochs the epochs, ascending
 * @param valLoss the validation loss's mean and interval per epoch
 * @param runIds the runs averaged
 */
public record ValidationCurve(List<Integer> epochs, List<Interval> valLoss, List<String> runIds) {
  /** The curve of no runs. */
  public static final ValidationCurve EMPTY = new ValidationCurve(List.of(), List.of(), List.of());

  public ValidationCurve {
    epochs = List.copyOf(epochs);
    valLoss = List.copyOf(valLoss);
    runIds = List.copyOf(runIds);
  }

  /**
   * One run's validation loss per epoch (NaN where it diverged).
   *
   * @param epochs the epochs in the report's order
   * @param valLoss the validation loss of each
   */
  public record Points(List<Integer> epochs, List<Double> valLoss) {
    /** No epochs. */
    public static final Points NONE = new Points(List.of(), List.of());

    public Points {
      epochs = List.copyOf(epochs);
      valLoss = List.copyOf(valLoss);
      if (epochs.size() != valLoss.size()) {
        throw new IllegalArgumentException(
            "epochs and losses differ in length: " + epochs.size() + " vs " + valLoss.size());
      }
    }

    /** The points of parallel lists. */
    public static Points of(List<Integer> epochs, List<Double> valLoss) {
      return new Points(epochs, valLoss);
    }
  }

  /**
   * The mean curve of the runs that count in the config's means (or are still running); when there
   * are none, of every run with epochs, so that a config whose runs all diverged still shows.
   */
  public static ValidationCurve of(List<MemberRun> runs) {
    List<MemberRun> chosen =
        runs.stream()
            .filter(r -> !r.curve().epochs().isEmpty())
            .filter(r -> r.countsInMeans() || r.status() == RunStatus.RUNNING)
            .toList();
    if (chosen.isEmpty()) {
      chosen = runs.stream().filter(r -> !r.curve().epochs().isEmpty()).toList();
    }
    if (chosen.isEmpty()) {
      return EMPTY;
    }
    TreeMap<Integer, List<Double>> byEpoch = new TreeMap<>();
    for (MemberRun run : chosen) {
      Points p = run.curve();
      for (int i = 0; i < p.epochs().size(); i++) {
        byEpoch.computeIfAbsent(p.epochs().get(i), e -> new ArrayList<>()).add(p.valLoss().get(i));
      }
    }
    List<Integer> epochs = new ArrayList<>(byEpoch.keySet());
    List<Interval> loss = new ArrayList<>();
    for (List<Double> values : byEpoch.values()) {
      loss.add(
          Interval.of(values.stream().mapToDouble(Double::doubleValue).toArray())
              .within(0, Double.POSITIVE_INFINITY));
    }
    return new ValidationCurve(epochs, loss, chosen.stream().map(MemberRun::runId).toList());
  }
}
