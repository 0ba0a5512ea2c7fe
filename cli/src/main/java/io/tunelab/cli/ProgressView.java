package io.tunelab.cli;

import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.RunState;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a run's progress on stderr: a line per phase and per finished epoch and, on a terminal
 * only, a live bar: the images read while the dataset is ingested, then one per arm with the
 * step progress of the epoch in flight. Off a terminal (a pipe, a log file, a CI job) there is
 * no bar and no control characters, only whole lines.
 */
public final class ProgressView {
  private static final int BAR = 24;

  private final PrintWriter err;
  private final boolean live;
  private final Map<String, Integer> shownEpochs = new HashMap<>();
  private String shownPhase;
  private boolean barShown;

  public ProgressView(PrintWriter err, boolean live) {
    this.err = err;
    this.live = live;
  }

  /** Shows what changed since the last call. */
  public void update(RunState state, List<Map<String, Object>> steps) {
    if (state == null) {
      return;
    }
    for (ArmResult arm : state.arms().values()) {
      int shown = shownEpochs.getOrDefault(arm.arm(), 0);
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
      StringBuilder line = new StringBuilder("\r");
      for (Map<String, Object> s : steps) {
        if (s.containsKey("stage")) {
          line.append(stageBar(s));
          continue;
        }
        int step = number(s.get("step"));
        int total = Math.max(1, number(s.get("steps")));
        int filled = (int) Math.round(BAR * (double) step / total);
        line.append(String.format(Locale.ROOT, "%s epoch %d [%s%s] %d/%d loss %.3f  ",
            s.get("arm"), number(s.get("epoch")), "#".repeat(filled), ".".repeat(BAR - filled),
            step, total, ((Number) s.getOrDefault("loss", 0.0)).doubleValue()));
      }
      line.append("\033[K");
      err.print(line);
      barShown = true;
    }
    err.flush();
  }

  /** Shows the last epochs and ends the live bar. */
  public void finish(RunState state) {
    update(state, List.of());
    clearBar();
    err.flush();
  }

  private void clearBar() {
    if (barShown) {
      err.print("\r\033[K");
      barShown = false;
    }
  }

  /** A bar such as {@code ingest [#####...] 1200/5000 images}. */
  private static String stageBar(Map<String, Object> s) {
    int done = number(s.get("done"));
    int total = number(s.get("total"));
    int filled = total <= 0 ? 0 : (int) Math.round(BAR * Math.min(1.0, (double) done / total));
    return String.format(Locale.ROOT, "%s [%s%s] %d/%d images  ", s.get("stage"),
        "#".repeat(filled), ".".repeat(BAR - filled), done, total);
  }

  static String epochLine(String arm, EpochMetrics m) {
    return String.format(Locale.ROOT,
        "  %-8s epoch %2d: train loss %.4f acc %.3f | val loss %.4f acc %.3f | lr %.2g | %.1f s",
        arm, m.epoch(), m.trainLoss(), m.trainAcc(), m.valLoss(), m.valAcc(), m.lr(), m.seconds());
  }

  private static int number(Object o) {
    return o instanceof Number n ? n.intValue() : 0;
  }
}
