package io.tunelab.diagnosis;

import io.tunelab.dataset.DatasetProfile;
import io.tunelab.dataset.DuplicatePair;
import io.tunelab.workflows.model.Finding;
import java.util.List;

/**
 * {@code train-val-leakage}: identical images (same bytes) in more than one split are critical.
 * Near-duplicates alone (perceptual hashes at most 4 bits apart, different bytes) are info, and
 * only when pairs with identical hashes touch at least {@value #NEAR_COPY_FRACTION} of the val/test
 * images: on small, uniform images (clean Fashion-MNIST: tens of thousands of pairs within 4 bits,
 * identical hashes for about 1–2% of val/test images, many across classes) look-alikes share
 * hashes, so a few pairs are not evidence of anything; the evidence says how many distinct val/test
 * images they touch and how many pairs have identical hashes (re-encoded copies are the likeliest
 * leaks). Counts come from the dataset profile when present (with example pairs), else from the
 * run's dataset summary.
 */
final class LeakageRule implements Rule {
  static final int EXAMPLES = 5;

  /**
   * Fraction of val/test images with an identical-hash partner in an earlier split that is worth a
   * look.
   */
  static final double NEAR_COPY_FRACTION = 0.05;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    DatasetProfile profile = context.profile;
    int exact =
        profile != null
            ? profile.duplicatesAcrossSplits()
            : context.state.dataset() != null
                ? context.state.dataset().duplicatesAcrossSplits()
                : 0;
    int near = profile != null ? profile.nearDuplicatesAcrossSplits() : 0;
    if (exact <= 0 && near <= 0) {
      return;
    }
    List<DuplicatePair> exactPairs =
        profile == null || profile.duplicatePairs() == null
            ? List.of()
            : profile.duplicatePairs().stream().filter(LeakageRule::acrossSplits).toList();
    List<DuplicatePair> nearPairs =
        profile == null || profile.nearDuplicatePairs() == null
            ? List.of()
            : profile.nearDuplicatePairs().stream().filter(LeakageRule::acrossSplits).toList();
    int heldOut = heldOut(context);
    if (exact <= 0) {
      long identical =
          nearPairs.stream()
              .filter(p -> p.distance() == 0)
              .map(p -> p.secondSplit() + ":" + p.second())
              .distinct()
              .count();
      if (heldOut <= 0 || identical < NEAR_COPY_FRACTION * heldOut) {
        return;
      }
    }
    StringBuilder evidence = new StringBuilder();
    boolean rows = context.samples == Samples.ROWS;
    boolean clips = context.samples == Samples.CLIPS;
    // A clip ingest counts videos (those sharing a stack's worth of decoded frames), not stacks.
    String many = clips ? "videos" : context.samples.many;
    if (exact > 0) {
      evidence.append(exact).append(" val/test ").append(many);
      if (clips) {
        evidence.append(" share a stack's worth of decoded frames with videos in an earlier split");
      } else {
        evidence
            .append(" are exact copies of ")
            .append(rows ? "feature rows" : "images")
            .append(" in an earlier split");
      }
      if (heldOut > 0) {
        evidence
            .append(" (")
            .append(Fmt.pct(exact / (double) heldOut))
            .append(" of the ")
            .append(heldOut)
            .append(" val+test ")
            .append(many)
            .append(")");
      }
      appendPairs(evidence, exactPairs, " = ");
    }
    if (near > 0) {
      if (!evidence.isEmpty()) {
        evidence.append("; ");
      }
      evidence
          .append(near)
          .append(" near-duplicate pairs across splits (perceptual hashes at most 4 bits apart");
      if (!nearPairs.isEmpty()) {
        long identicalHash = nearPairs.stream().filter(p -> p.distance() == 0).count();
        long touched =
            nearPairs.stream().map(p -> p.secondSplit() + ":" + p.second()).distinct().count();
        evidence
            .append("; ")
            .append(identicalHash)
            .append(" with identical hashes; ")
            .append(touched)
            .append(" distinct ")
            .append(heldOut > 0 ? "of the " + heldOut + " " : "")
            .append("later-split images involved")
            .append(nearPairs.size() < near ? " in the first " + nearPairs.size() + " pairs" : "");
      }
      evidence.append(")");
      appendPairs(evidence, nearPairs, " ≈ ");
    }
    boolean critical = exact > 0;
    findings.add(
        new Finding(
            "train-val-leakage",
            critical ? "critical" : "info",
            "data",
            critical
                ? "Identical " + many + " appear in more than one split"
                : "Nearly identical images appear in more than one split",
            evidence.toString(),
            critical
                ? clips
                    ? "Validation and test accuracy are optimistic: the model is scored on stacks of "
                        + "videos it trained on. Keep every video, and every copy or cut of it, in "
                        + "one split: remove the listed val/test videos (or their training copies) "
                        + "and run again."
                    : rows
                        ? "Validation and test accuracy are optimistic: the model is scored partly on "
                            + "rows it trained on. Deduplicate the table (keep one copy of each feature "
                            + "row) and run again; with your own train.csv/val.csv/test.csv, remove the "
                            + "listed val/test rows."
                        : "Validation and test accuracy are optimistic: the model is scored partly on "
                            + "images it trained on. Deduplicate the source (keep one copy of each "
                            + "image) and run again; with your own train/val/test folders, remove the "
                            + "listed val/test copies."
                : "Look at the listed pairs: if they are copies (re-encoded, resized, lightly edited), "
                    + "keep one image of each group and run again, since validation and test accuracy "
                    + "are then optimistic; if they are merely look-alikes, nothing to do."));
  }

  private static boolean acrossSplits(DuplicatePair p) {
    return p.firstSplit() != null && !p.firstSplit().equals(p.secondSplit());
  }

  private static void appendPairs(StringBuilder evidence, List<DuplicatePair> pairs, String sign) {
    if (pairs.isEmpty()) {
      return;
    }
    evidence.append(", e.g. ");
    for (int i = 0; i < Math.min(EXAMPLES, pairs.size()); i++) {
      DuplicatePair p = pairs.get(i);
      evidence
          .append(i == 0 ? "" : ", ")
          .append(p.firstSplit())
          .append(":")
          .append(p.first())
          .append(sign)
          .append(p.secondSplit())
          .append(":")
          .append(p.second());
    }
    if (pairs.size() > EXAMPLES) {
      evidence.append(" and ").append(pairs.size() - EXAMPLES).append(" more pairs");
    }
  }

  private static int heldOut(DiagnosisContext context) {
    if (context.profile != null && context.profile.clips() != null) {
      return context.profile.clips().videos().entrySet().stream()
          .filter(e -> !e.getKey().equals("train"))
          .flatMap(e -> e.getValue().values().stream())
          .mapToInt(Integer::intValue)
          .sum();
    }
    if (context.profile != null && context.profile.counts() != null) {
      return context.profile.size("val") + context.profile.size("test");
    }
    return context.state.dataset() == null
        ? 0
        : context.state.dataset().size("val") + context.state.dataset().size("test");
  }
}
