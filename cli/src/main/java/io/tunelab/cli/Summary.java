package io.tunelab.cli;

import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.RunState;
import java.io.PrintWriter;
import java.util.Locale;

/** The few lines a person reads when a run ends. */
final class Summary {
  private Summary() {}

  static void print(RunState state, String bucket, PrintWriter out) {
    out.printf(Locale.ROOT, "run %s %s%n", state.runId(), state.status());
    if (state.dataset() != null) {
      out.printf(
          Locale.ROOT,
          "  data: %d classes, train %d / val %d / test %d %s, %d rejected%n",
          state.dataset().classes().size(),
          state.dataset().size("train"),
          state.dataset().size("val"),
          state.dataset().size("test"),
          state.dataset().shape() == null ? "images" : state.dataset().shape().kind().plural(),
          state.dataset().rejectedCount());
    }
    for (ArmResult arm : state.arms().values()) {
      if (arm.test() != null) {
        out.printf(
            Locale.ROOT,
            "  %-8s test acc %.4f (loss %.4f), best epoch %d of %d%s%n",
            arm.arm(),
            arm.test().acc(),
            arm.test().loss(),
            arm.bestEpoch(),
            arm.trainedEpochs(),
            arm.stoppedEarly() ? ", stopped early" : "");
      } else {
        out.printf(
            Locale.ROOT,
            "  %-8s %s%s%n",
            arm.arm(),
            arm.status(),
            arm.error() == null ? "" : ": " + arm.error());
      }
    }
    Comparison c = state.comparison();
    if (c != null) {
      out.printf(
          Locale.ROOT,
          "  comparison: %s (test acc delta %+.4f, McNemar p=%.3g)%n",
          c.winner().equals("tie") ? "no significant difference" : c.winner() + " wins",
          c.testAccDelta(),
          c.pValue());
    }
    ModelInfo m = state.registered();
    if (m != null) {
      out.printf(
          Locale.ROOT,
          "  registered model %s version %d (%s, %s, %d classes)%n",
          m.name(),
          m.version(),
          m.architecture(),
          m.shape(),
          m.classes().size());
    }
    if (state.reportKey() != null) {
      out.printf(
          Locale.ROOT,
          "  report: tunelab report %s   (s3://%s/%s)%n",
          state.runId(),
          bucket,
          state.reportKey());
    }
    if (!state.findings().isEmpty()) {
      out.println("findings, most severe first:");
    }
    for (Finding f : state.findings()) {
      out.printf(Locale.ROOT, "  [%s] %s (%s): %s%n", f.severity(), f.code(), f.arm(), f.title());
      if (!"info".equals(f.severity())) {
        out.printf(Locale.ROOT, "      evidence: %s%n", shorten(f.evidence(), EVIDENCE_CHARS));
        out.printf(Locale.ROOT, "      do: %s%n", shorten(f.recommendation(), EVIDENCE_CHARS));
      }
    }
    out.flush();
  }

  /** Evidence and recommendation longer than this are cut in the terminal (the report has all). */
  static final int EVIDENCE_CHARS = 400;

  private static String shorten(String text, int max) {
    if (text == null) {
      return "";
    }
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
