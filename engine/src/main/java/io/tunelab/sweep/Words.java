package io.tunelab.sweep;

import java.util.List;
import java.util.Map;

/** Plain words for varied flags and run finding codes, for the sweep's evidence sentences. */
final class Words {
  private static final Map<String, String> FLAGS =
      Map.ofEntries(
          Map.entry("lr", "the learning rate"),
          Map.entry("scratch-lr", "the scratch arm's learning rate"),
          Map.entry("weight-decay", "the weight decay"),
          Map.entry("head-dropout", "the head's dropout"),
          Map.entry("dropout", "dropout"),
          Map.entry("l2", "the L2 penalty"),
          Map.entry("freeze", "freezing"),
          Map.entry("augment", "augmentation"),
          Map.entry("schedule", "the learning-rate schedule"),
          Map.entry("optimizer", "the optimizer"),
          Map.entry("batch-size", "the batch size"),
          Map.entry("epochs", "the number of epochs"),
          Map.entry("hidden", "the hidden layers"));

  private static final Map<String, String> EFFECTS =
      Map.ofEntries(
          Map.entry("val-fluctuation", "the swings"),
          Map.entry("lr-too-high", "the divergence"),
          Map.entry("overfitting", "the overfitting"),
          Map.entry("low-initial-rising-val-loss", "the rising validation loss"),
          Map.entry("overconfidence", "the overconfidence"),
          Map.entry("underfitting", "the underfitting"),
          Map.entry("forgetting", "the forgetting"),
          Map.entry("finetune-no-better-than-scratch", "the missing gain over scratch"));

  private Words() {}

  /** {@code the learning rate} for {@code lr}; {@code --flag} for a flag without a name here. */
  static String flag(String flag) {
    return FLAGS.getOrDefault(flag, "--" + flag);
  }

  /** {@code the swings} for {@code val-fluctuation}; {@code the code} for others. */
  static String effect(String code) {
    String base = MemberRun.baseCode(code);
    return EFFECTS.getOrDefault(base, "the " + base);
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  static String and(List<String> items) {
    return join(items, " and ");
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}. */
  static String or(List<String> items) {
    return join(items, " or ");
  }

  private static String join(List<String> items, String last) {
    if (items.size() <= 1) {
      return items.isEmpty() ? "" : items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + last
        + items.get(items.size() - 1);
  }
}
