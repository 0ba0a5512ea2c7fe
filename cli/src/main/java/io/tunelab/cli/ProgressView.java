package io.tunelab.cli;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.RunState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Shows a run's progress on stderr: a line per phase and per finished epoch and, on a terminal
 * only, a live block redrawn in place: the images read while the dataset is ingested, then one line
 * per arm with the epoch in flight out of the arm's epochs, a bar of its steps, the last training
 * loss and an estimate of the time the arm has left. Off a terminal (a pipe, a log file, a CI job)
 * there is no bar and no control characters, only whole lines.
 */
public final class ProgressView {
  private static final int BAR = 24;

  private final PrintWriter err;
  private final boolean live;
  private final LongSupplier nanos;
  private final Map<Arm, Integer> shownEpochs = new HashMap<>();
  private final Map<String, Rate> rates = new HashMap<>();
  private String shownPhase;

  /** Lines of the live block on screen; the cursor is at the end of its last line. */
  private int barLines;

  public ProgressView(PrintWriter err, boolean live) {
    this(err, live, System::nanoTime);
  }

  ProgressView(PrintWriter err, boolean live, LongSupplier nanos) {
    this.err = err;
    this.live = live;
    this.nanos = nanos;
  }

  /** Whether the view redraws a live bar (a terminal), which needs step progress. */
  public boolean live() {
    return live;
  }

  /** Where an epoch's steps were when first seen, to estimate the step rate. */
  private record Rate(int epoch, int step, long nanos) {}

  /** Shows what changed since the last call. */
  public void update(RunState state, List<Map<String, Object>> steps) {
    if (state == null) {
      return;
    }
    for (ArmResult arm : state.arms().values()) {
      int shown = shownEpochs.getOrDefault(arm.arm(), -1);
      for (EpochMetrics m : arm.epochs()) {
        if (m.epoch() > shown) {
          clearBar();
          err.println(epochLine(arm.arm(), m));
          shownEpochs.put(arm.arm(), m.epoch());
        }
      }
    }
    if (!state.phase().equals(shownPhase)) {
      clearBar();
      err.println("[" + state.runId() + "] " + state.phase());
      shownPhase = state.phase();
    }
    if (live && !steps.isEmpty()) {
      List<String> lines = new ArrayList<>();
      List<Map<String, Object>> sorted = new ArrayList<>(steps);
      List<String> order = new ArrayList<>(state.arms().keySet());
      sorted.sort(
          Comparator.comparingInt(s -> s.containsKey("stage") ? -1 : order.indexOf(s.get("arm"))));
      for (Map<String, Object> s : sorted) {
        lines.add(
            s.containsKey("stage")
                ? stageBar(s)
                : armBar(s, state.arms().get(String.valueOf(s.get("arm")))));
      }
      drawBar(lines);
    }
    err.flush();
  }

  /** Shows the last epochs and ends the live bar. */
  public void finish(RunState state) {
    update(state, List.of());
    clearBar();
    err.flush();
  }

  /** Redraws the live block in place: up to its first line, each line cleared to its end. */
  private void drawBar(List<String> lines) {
    StringBuilder out = new StringBuilder("\r");
    if (barLines > 1) {
      out.append("\033[").append(barLines - 1).append('A');
    }
    for (int i = 0; i < lines.size(); i++) {
      out.append(lines.get(i)).append("\033[K");
      if (i < lines.size() - 1) {
        out.append('\n');
      }
    }
    if (lines.size() < barLines) {
      out.append("\033[J");
    }
    err.print(out);
    barLines = lines.size();
  }

  private void clearBar() {
    if (barLines == 1) {
      err.print("\r\033[K");
    } else if (barLines > 1) {
      err.print("\r\033[" + (barLines - 1) + "A\033[J");
    }
    barLines = 0;
  }

  /** A bar such as {@code ingest [#####...] 1200/5000 images}. */
  private static String stageBar(Map<String, Object> s) {
    int done = number(s.get("done"));
    int total = number(s.get("total"));
    int filled = total <= 0 ? 0 : (int) Math.round(BAR * Math.min(1.0, (double) done / total));
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %d/%d images  ",
        s.get("stage"),
        "#".repeat(filled),
        ".".repeat(BAR - filled),
        done,
        total);
  }

  /**
   * A bar such as {@code finetune epoch 2/6 [########........] 45/125 loss 0.412 ETA 1:05}: the
   * epoch in flight out of the arm's epochs, its steps, the last loss, and the time the arm has
   * left at the step rate seen so far (the epochs after this one take as long as the last finished
   * one, or as long as this one's steps at that rate).
   */
  String armBar(Map<String, Object> s, ArmResult arm) {
    String name = String.valueOf(s.get("arm"));
    int epoch = number(s.get("epoch"));
    int epochs = number(s.get("epochs"));
    int step = number(s.get("step"));
    int total = Math.max(1, number(s.get("steps")));
    int filled = (int) Math.round(BAR * Math.min(1.0, (double) step / total));
    double loss = s.get("loss") instanceof Number n ? n.doubleValue() : Double.NaN;
    return String.format(
        Locale.ROOT,
        "%-8s epoch %s [%s%s] %d/%d loss %s ETA %s",
        name,
        epochs > 0 ? epoch + "/" + epochs : String.valueOf(epoch),
        "#".repeat(filled),
        ".".repeat(BAR - filled),
        step,
        total,
        Double.isFinite(loss) ? String.format(Locale.ROOT, "%.3f", loss) : "-",
        eta(name, epoch, epochs, step, total, arm));
  }

  private String eta(String arm, int epoch, int epochs, int step, int total, ArmResult result) {
    long now = nanos.getAsLong();
    Rate rate = rates.get(arm);
    if (rate == null || rate.epoch() != epoch || step < rate.step()) {
      rates.put(arm, new Rate(epoch, step, now));
      rate = rates.get(arm);
    }
    double seconds = (now - rate.nanos()) / 1e9;
    double lastEpoch =
        result == null || result.epochs().isEmpty()
            ? Double.NaN
            : result.epochs().get(result.epochs().size() - 1).seconds();
    if (step <= rate.step() || seconds < 0.5) {
      // no step rate seen in this epoch yet: the last finished epoch's time, if any
      return Double.isFinite(lastEpoch) && epochs >= epoch
          ? duration((total - step) / (double) total * lastEpoch + (epochs - epoch) * lastEpoch)
          : "--";
    }
    double perStep = seconds / (step - rate.step());
    double left = (total - step) * perStep;
    if (epochs > epoch) {
      left += (epochs - epoch) * (Double.isFinite(lastEpoch) ? lastEpoch : total * perStep);
    }
    return duration(left);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  static String epochLine(Arm arm, EpochMetrics m) {
    if (m.epoch() == 0) {
      // The model the fine-tune starts from (its head reused), evaluated before the first step.
      return String.format(
          Locale.ROOT,
          "  %-8s epoch  0: train loss %.4f acc %.3f | val loss %.4f acc %.3f | before training",
          arm,
          m.trainLoss(),
          m.trainAcc(),
          m.valLoss(),
          m.valAcc());
    }
    return String.format(
        Locale.ROOT,
        "  %-8s epoch %2d: train loss %.4f acc %.3f | val loss %.4f acc %.3f | lr %.2g | %.1f s",
        arm,
        m.epoch(),
        m.trainLoss(),
        m.trainAcc(),
        m.valLoss(),
        m.valAcc(),
        m.lr(),
        m.seconds());
  }

  private static int number(Object o) {
    return o instanceof Number n ? n.intValue() : 0;
  }
}
