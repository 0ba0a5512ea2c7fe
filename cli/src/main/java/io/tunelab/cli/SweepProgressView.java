package io.tunelab.cli;

import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepState;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a sweep's progress on stderr: a line whenever a member starts or ends and, on a terminal, a
 * bar of the members ended out of all, redrawn in place. Off a terminal only whole lines.
 */
public final class SweepProgressView {
  private static final int BAR = 24;

  private final PrintWriter err;
  private final boolean live;
  private final Map<String, RunStatus> shown = new HashMap<>();
  private boolean barShown;

  public SweepProgressView(PrintWriter err, boolean live) {
    this.err = err;
    this.live = live;
  }

  /** Whether the view redraws a live bar (a terminal). */
  public boolean live() {
    return live;
  }

  /** Shows what changed since the last call. */
  public void update(SweepState state) {
    if (state == null) {
      return;
    }
    clearBar();
    for (SweepState.Member m : state.members()) {
      RunStatus before = shown.put(m.runId(), m.status());
      if (m.status() != before && m.status() != RunStatus.PENDING) {
        err.printf(
            Locale.ROOT,
            "  %-40s config %d seed %d: %s%n",
            m.runId(),
            m.config(),
            m.seed(),
            m.status());
      }
    }
    if (live && state.status() == RunStatus.RUNNING) {
      long ended =
          state.members().size() - state.count(RunStatus.PENDING) - state.count(RunStatus.RUNNING);
      int filled = state.members().isEmpty() ? 0 : (int) (BAR * ended / state.members().size());
      err.printf(
          Locale.ROOT,
          "[%s%s] %d/%d runs ended, %d running (%s)",
          "#".repeat(filled),
          "-".repeat(BAR - filled),
          ended,
          state.members().size(),
          state.count(RunStatus.RUNNING),
          state.phase());
      barShown = true;
    }
    err.flush();
  }

  private void clearBar() {
    if (barShown) {
      err.print("\r\033[2K");
      barShown = false;
    }
  }
}
