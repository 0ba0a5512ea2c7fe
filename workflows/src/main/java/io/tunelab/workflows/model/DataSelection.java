package io.tunelab.workflows.model;

import java.util.List;

/**
 * The checks of what data a run or an ingest selects, shared by the records that carry it: the
 * source, the classes kept, the cap on training images per class.
 */
final class DataSelection {
  private DataSelection() {}

  /** Refuses an empty source. */
  static void requireSource(String source) {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("source must not be empty");
    }
  }

  /** The classes to keep, as an unmodifiable list; {@code null} keeps all (empty). */
  static List<String> classes(List<String> classes) {
    return classes == null ? List.of() : List.copyOf(classes);
  }

  /** Refuses a negative cap on images per class (0 keeps all). */
  static void requirePerClass(int perClass) {
    if (perClass < 0) {
      throw new IllegalArgumentException("per-class must be >= 0: " + perClass);
    }
  }
}
