package io.tunelab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepMember;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One member run of a sweep as its report shows it. The metrics are the fine-tune arm's ({@code
 * arms.finetune} of the run report): {@code testAcc} its test accuracy, {@code bestEpoch} its best
 * epoch, {@code bestValLoss} and {@code bestValAcc} the validation loss and accuracy of that best
 * epoch (not the minimum over epochs, which can fall on another epoch for accuracy). A number that
 * is unknown (not tested yet, a diverged loss) is NaN; an unknown best epoch is 0.
 *
 * @param runId the member's run id
 * @param config the config's number
 * @param seed the member's seed
 * @param status the run's status; {@link RunStatus#PENDING} when it has not started yet
 * @param reported whether the run had a report (stored or live)
 * @param testAcc the fine-tune arm's test accuracy
 * @param bestValLoss the validation loss at the best epoch
 * @param bestValAcc the validation accuracy at the best epoch
 * @param bestEpoch the fine-tune arm's best epoch, 0 when unknown
 * @param findings the run's findings, in its report's order
 * @param curve the fine-tune arm's validation loss per epoch
 */
public record MemberRun(
    String runId,
    int config,
    long seed,
    RunStatus status,
    boolean reported,
    double testAcc,
    double bestValLoss,
    double bestValAcc,
    int bestEpoch,
    List<RunFinding> findings,
    ValidationCurve.Points curve) {

  public MemberRun {
    findings = findings == null ? List.of() : List.copyOf(findings);
    curve = curve == null ? ValidationCurve.Points.NONE : curve;
  }

  /** A member from its status and its report, or without a report when {@code report} is null. */
  public static MemberRun of(SweepMember member, RunStatus status, JsonNode report) {
    if (report == null || report.isMissingNode() || report.isNull()) {
      return new MemberRun(
          member.runId(),
          member.config(),
          member.seed(),
          status,
          false,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          0,
          List.of(),
          null);
    }
    JsonNode arm = report.path("arms").path("finetune");
    int best = arm.path("bestEpoch").asInt(0);
    JsonNode bestRow = null;
    List<Integer> epochs = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    for (JsonNode row : arm.path("epochs")) {
      int epoch = row.path("epoch").asInt();
      epochs.add(epoch);
      losses.add(number(row.path("valLoss")));
      if (epoch == best && best > 0) {
        bestRow = row;
      }
    }
    List<RunFinding> findings = new ArrayList<>();
    for (JsonNode f : report.path("findings")) {
      findings.add(
          new RunFinding(
              f.path("code").asText(), f.path("severity").asText(), f.path("arm").asText()));
    }
    return new MemberRun(
        member.runId(),
        member.config(),
        member.seed(),
        status,
        true,
        number(arm.path("test").path("acc")),
        bestRow == null ? Double.NaN : number(bestRow.path("valLoss")),
        bestRow == null ? Double.NaN : number(bestRow.path("valAcc")),
        best,
        findings,
        ValidationCurve.Points.of(epochs, losses));
  }

  /** Whether the run counts in its config's means: it completed and has a test accuracy. */
  public boolean countsInMeans() {
    return status == RunStatus.COMPLETED && Double.isFinite(testAcc);
  }

  /**
   * Whether the run ended with a diagnosis: completed or failed (a diverged run fails) and
   * reported. Only these runs take part in the comparison of findings across settings.
   */
  public boolean finished() {
    return reported && (status == RunStatus.COMPLETED || status == RunStatus.FAILED);
  }

  /** The distinct finding codes, in the report's order. */
  public List<String> codes() {
    Set<String> codes = new LinkedHashSet<>();
    findings.forEach(f -> codes.add(f.code()));
    return List.copyOf(codes);
  }

  /** Whether the run has a finding with this code. */
  public boolean has(String code) {
    if (code.endsWith(CRITICAL)) {
      String base = baseCode(code);
      return findings.stream()
          .anyMatch(f -> f.code().equals(base) && "critical".equals(f.severity()));
    }
    return findings.stream().anyMatch(f -> f.code().equals(code));
  }

  /** What marks a code found at critical severity: {@code lr-too-high (critical)}. */
  static final String CRITICAL = " (critical)";

  /** The codes this run has at critical severity, each marked {@link #CRITICAL}. */
  List<String> criticalCodes() {
    Set<String> codes = new LinkedHashSet<>();
    findings.stream()
        .filter(f -> "critical".equals(f.severity()))
        .forEach(f -> codes.add(f.code() + CRITICAL));
    return List.copyOf(codes);
  }

  /** A code without its severity mark. */
  static String baseCode(String code) {
    return code.endsWith(CRITICAL) ? code.substring(0, code.length() - CRITICAL.length()) : code;
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
