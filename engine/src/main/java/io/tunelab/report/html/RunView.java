package io.tunelab.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.workflows.model.EpochMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a report JSON that the charts read, with every number made a {@code double}: a loss
 * written as {@code null}, {@code "NaN"} or left out (a diverged epoch) becomes NaN.
 *
 * @param runId the run's id
 * @param classes class names in label order
 * @param validationSize images in the validation split (0 when the report does not say)
 * @param arms every arm in display order
 */
record RunView(String runId, List<String> classes, int validationSize, List<Arm> arms) {

  /**
   * One arm.
   *
   * @param name the arm's name ({@code finetune}, {@code scratch}, {@code pretrain}, ...)
   * @param colour its colour on the page
   * @param epochs its epochs in the report's order
   * @param bestEpoch the best epoch, or 0 when there is none
   */
  record Arm(String name, String colour, List<EpochMetrics> epochs, int bestEpoch) {}

  /** Reads the view of a report; never fails on missing or odd fields. */
  static RunView of(JsonNode report) {
    List<String> classes = new ArrayList<>();
    for (JsonNode c : report.path("dataset").path("classes")) {
      classes.add(c.asText());
    }
    int val = 0;
    for (Iterator<JsonNode> it = report.path("dataset").path("splits").path("val").elements();
        it.hasNext(); ) {
      val += Math.max(0, it.next().asInt());
    }
    List<String> names = new ArrayList<>();
    report.path("arms").fieldNames().forEachRemaining(names::add);
    List<String> ordered = ArmStyle.order(names);
    List<Arm> arms = new ArrayList<>();
    for (String name : ordered) {
      JsonNode a = report.path("arms").path(name);
      List<EpochMetrics> epochs = new ArrayList<>();
      for (JsonNode e : a.path("epochs")) {
        if (!e.path("epoch").canConvertToInt() || e.path("epoch").asInt() < 0) {
          continue;
        }
        epochs.add(
            new EpochMetrics(
                e.path("epoch").asInt(),
                number(e.path("trainLoss")),
                number(e.path("trainAcc")),
                number(e.path("valLoss")),
                number(e.path("valAcc")),
                number(e.path("lr")),
                number(e.path("seconds"))));
      }
      int best = a.path("bestEpoch").canConvertToInt() ? a.path("bestEpoch").asInt() : 0;
      arms.add(new Arm(name, ArmStyle.colour(name, ordered), List.copyOf(epochs), best));
    }
    return new RunView(report.path("runId").asText(), List.copyOf(classes), val, List.copyOf(arms));
  }

  /** A JSON number, or a string such as {@code "NaN"} or {@code "Infinity"}; otherwise NaN. */
  static double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isTextual()) {
      try {
        return Double.parseDouble(n.asText().trim());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** The name of a class by label, or the label itself when the names are unknown. */
  String className(int label) {
    return label >= 0 && label < classes.size() ? classes.get(label) : String.valueOf(label);
  }

  /** The colours of the arms by name. */
  Map<String, String> colours() {
    Map<String, String> colours = new LinkedHashMap<>();
    arms.forEach(a -> colours.put(a.name(), a.colour()));
    return colours;
  }
}
