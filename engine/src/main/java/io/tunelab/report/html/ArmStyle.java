package io.tunelab.report.html;

import java.util.ArrayList;
import java.util.List;

/**
 * The colour of each arm, the same in every chart and table of the page: fine-tune blue, scratch
 * orange, pretrain green, any other arm a further distinct colour.
 */
final class ArmStyle {
  private static final String[] OTHERS = {"#7c3aed", "#db2777", "#0891b2", "#65a30d"};

  private ArmStyle() {}

  /** The arm's colour as a CSS hex colour. */
  static String colour(String arm, List<String> arms) {
    return switch (arm) {
      case "finetune" -> "#2563eb";
      case "scratch" -> "#ea580c";
      case "pretrain" -> "#059669";
      default -> OTHERS[Math.max(0, others(arms).indexOf(arm)) % OTHERS.length];
    };
  }

  /** Arms in display order: fine-tune, scratch, pretrain, then the others as given. */
  static List<String> order(Iterable<String> arms) {
    List<String> ordered = new ArrayList<>();
    List<String> given = new ArrayList<>();
    arms.forEach(given::add);
    for (String known : new String[] {"finetune", "scratch", "pretrain"}) {
      if (given.contains(known)) {
        ordered.add(known);
      }
    }
    for (String arm : given) {
      if (!ordered.contains(arm)) {
        ordered.add(arm);
      }
    }
    return ordered;
  }

  private static List<String> others(List<String> arms) {
    return arms.stream()
        .filter(a -> !a.equals("finetune") && !a.equals("scratch") && !a.equals("pretrain"))
        .toList();
  }
}
