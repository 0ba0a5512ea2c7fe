package io.tunelab.diagnosis;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.Finding;
import java.util.List;

/**
 * Transfer: {@code finetune-no-better-than-scratch} when the paired comparison's exact McNemar
 * p-value is at least {@value #ALPHA} or the scratch arm is ahead — a warning when scratch is
 * significantly ahead (pretraining hurts) with a lead over the discordant images beyond {@value
 * Strength#CLEAR}× the lead p &lt; {@value #ALPHA} needs (see {@link Strength}), info when it is
 * just past that lead or when the two cannot be told apart (nothing is broken: the task is
 * learnable from the target data alone, which is worth knowing but asks for no fix) — unless {@code
 * domain-shift} is found at warning, which makes the lack of gain a reason to change the pretrained
 * model (warning); {@code forgetting} when the pretrained model's accuracy on its own source test
 * split drops by more than {@value #MAX_FORGETTING} after fine-tuning — a warning when the target
 * shares classes with the source task (the user adapts that task and should keep it), info when the
 * target is a new task (forgetting the old one is then expected).
 */
final class TransferRule implements Rule {
  static final double ALPHA = 0.05;
  static final double MAX_FORGETTING = 0.10;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    comparison(context, findings);
    forgetting(context, findings);
  }

  /**
   * Whether fine-tuning beat scratch on the test split (significantly, by the paired comparison);
   * {@code null} without a comparison (no scratch arm, or an arm without a test).
   */
  static Boolean fineTuneGains(DiagnosisContext context) {
    Comparison c = context.state.comparison();
    if (c == null) {
      return null;
    }
    boolean scratchAhead =
        c.testAccDelta() < 0
            || (c.testAccDelta() == 0 && c.scratchOnlyCorrect() > c.finetuneOnlyCorrect());
    return c.pValue() < ALPHA && !scratchAhead;
  }

  private static void comparison(DiagnosisContext context, List<Finding> findings) {
    Comparison c = context.state.comparison();
    if (c == null) {
      return;
    }
    if (Boolean.TRUE.equals(fineTuneGains(context))) {
      return;
    }
    int b = c.finetuneOnlyCorrect();
    int s = c.scratchOnlyCorrect();
    boolean scratchAhead = c.testAccDelta() < 0 || (c.testAccDelta() == 0 && s > b);
    boolean significant = c.pValue() < ALPHA;
    StringBuilder evidence = new StringBuilder();
    ArmResult ft = context.state.arm(Arm.FINETUNE);
    ArmResult sc = context.state.arm(Arm.SCRATCH);
    if (ft != null && sc != null && ft.test() != null && sc.test() != null) {
      evidence
          .append("test accuracy finetune ")
          .append(Fmt.acc(ft.test().acc()))
          .append(" vs scratch ")
          .append(Fmt.acc(sc.test().acc()))
          .append("; ");
    }
    evidence
        .append("delta ")
        .append(Fmt.signed(c.testAccDelta(), 3))
        .append(", exact McNemar p = ")
        .append(Fmt.p(c.pValue()))
        .append(" on ")
        .append(b)
        .append(" test ")
        .append(context.samples.many)
        .append(" only fine-tuning got right vs ")
        .append(s)
        .append(" only scratch got right");
    int n = b + s;
    int needed = neededSplit(n);
    // Scratch significantly ahead is a warning only when its lead over the discordant images is
    // clearly beyond the lead p < ALPHA needs; just past it, info.
    Strength lead =
        scratchAhead && significant && needed > 0
            ? new Strength(
                s - b,
                2 * needed - n,
                "the lead of " + (2 * needed - n) + " that p < " + ALPHA + " needs")
            : null;
    if (lead != null) {
      evidence.append("; scratch's lead of ").append(s - b).append(" is ").append(lead.describe());
    }
    if (!significant) {
      evidence.append(
          needed > 0
              ? "; with "
                  + n
                  + " discordant "
                  + context.samples.many
                  + " a split of at least "
                  + needed
                  + ":"
                  + (n - needed)
                  + " is needed for p < "
                  + ALPHA
              : "; "
                  + n
                  + " discordant "
                  + context.samples.many
                  + " cannot reach p < "
                  + ALPHA
                  + " at any split");
    }
    String recommendation;
    if (scratchAhead && significant) {
      recommendation =
          "Pretraining hurts here: the source features mislead the model. Check for "
              + "domain shift between source and target, fine-tune with a lower --lr and "
              + "--freeze backbone first, try a pretrained model from a closer domain, or drop "
              + "pretraining for this data.";
    } else if (scratchAhead) {
      recommendation =
          "No measurable gain from pretraining: scratch is at least as good. Try a "
              + "lower fine-tune --lr with --freeze backbone or gradual, a pretrained model from a "
              + "closer domain, or a larger test set to settle the difference.";
    } else {
      recommendation =
          (c.testAccDelta() > 0 || b > s
                  ? "Fine-tuning is ahead but not significantly: the test set cannot tell the two apart. "
                  : "Fine-tuning and scratch are level: pretraining adds nothing measurable. ")
              + "Use a larger test split to settle it, and try a lower fine-tune --lr with --freeze "
              + "backbone or a pretrained model from a closer domain to widen the gap.";
    }
    String severity =
        !(scratchAhead && significant)
            ? "info"
            : lead == null ? "warning" : lead.severity("warning");
    // With the target shifted from the source, the lack of gain is no longer a neutral fact: the
    // pretrained model is the wrong start for this data, which is worth acting on.
    boolean shifted =
        findings.stream()
            .anyMatch(f -> "domain-shift".equals(f.code()) && !"info".equals(f.severity()));
    if (shifted && "info".equals(severity)) {
      severity = "warning";
      evidence.append(
          "; domain-shift is found: the pretrained model learned from data unlike the target, "
              + "which is why pretraining adds nothing here");
      recommendation =
          "The pretrained model's source is too far from the target (see domain-shift) for its "
              + "features to help: pretrain on data closer to the target, or train from scratch, "
              + "which does as well here. "
              + recommendation;
    }
    findings.add(
        new Finding(
            "finetune-no-better-than-scratch",
            severity,
            Arm.FINETUNE.wire(),
            "Pretraining gave no measurable gain over the scratch baseline",
            evidence.toString(),
            recommendation));
  }

  private static void forgetting(DiagnosisContext context, List<Finding> findings) {
    ProbeResults probes = context.input.probes();
    if (probes == null || probes.sourceAccBefore() == null || probes.sourceAccAfter() == null) {
      return;
    }
    double drop = probes.sourceAccBefore() - probes.sourceAccAfter();
    if (drop <= MAX_FORGETTING) {
      return;
    }
    List<String> shared = sharedClasses(context);
    ArmView finetune = context.arm(Arm.FINETUNE);
    boolean blownUp = finetune != null && DiagnosisContext.diverged(findings, finetune);
    findings.add(
        new Finding(
            "forgetting",
            shared.isEmpty() || blownUp ? "info" : "warning",
            Arm.FINETUNE.wire(),
            "Fine-tuning destroyed what the pretrained model knew of its source task",
            "accuracy on the source test split "
                + Fmt.acc(probes.sourceAccBefore())
                + " before "
                + "fine-tuning, "
                + Fmt.acc(probes.sourceAccAfter())
                + " after ("
                + Fmt.num(100 * drop, 1)
                + " points lost; limit "
                + Fmt.num(100 * MAX_FORGETTING, 0)
                + "); "
                + (shared.isEmpty()
                    ? "the target's classes are all new, so losing the source task is "
                        + "expected unless you still need it"
                    : "the target shares "
                        + shared.size()
                        + " classes with the source task "
                        + shared.subList(0, Math.min(5, shared.size())))
                + (blownUp
                    ? "; the fine-tune diverged (see lr-too-high), so this is what the blow-up left"
                        + " of the backbone: info, the rate is the fault to fix"
                    : ""),
            "If the source task still matters, fine-tune more gently: a lower --lr, --freeze backbone "
                + "or gradual, fewer epochs; or mix source "
                + context.samples.many
                + " into the fine-tuning data "
                + "(rehearsal) or keep a copy of the source model for source inputs."));
  }

  /** Target classes the pretrained model's source task also has. */
  private static List<String> sharedClasses(DiagnosisContext context) {
    if (context.state.pretrained() == null || context.state.pretrained().classes() == null) {
      return List.of();
    }
    return context.classes.stream().filter(context.state.pretrained().classes()::contains).toList();
  }

  /**
   * The smallest count m of n discordant pairs such that an m:(n − m) split gives a two-sided exact
   * McNemar p below {@link #ALPHA}, or 0 when none does.
   */
  static int neededSplit(int n) {
    for (int m = (n + 1) / 2; m <= n; m++) {
      if (mcnemar(m, n) < ALPHA) {
        return m;
      }
    }
    return 0;
  }

  /** Two-sided exact McNemar (binomial, p = 1/2) p-value for k of n discordant pairs. */
  static double mcnemar(int k, int n) {
    if (n == 0) {
      return 1;
    }
    int tail = Math.min(k, n - k);
    double logHalf = n * Math.log(0.5);
    double logC = 0;
    double max = Double.NEGATIVE_INFINITY;
    double[] logs = new double[tail + 1];
    for (int i = 0; i <= tail; i++) {
      if (i > 0) {
        logC += Math.log(n - i + 1) - Math.log(i);
      }
      logs[i] = logC + logHalf;
      max = Math.max(max, logs[i]);
    }
    double sum = 0;
    for (double l : logs) {
      sum += Math.exp(l - max);
    }
    return Math.min(1, 2 * Math.exp(max) * sum);
  }
}
