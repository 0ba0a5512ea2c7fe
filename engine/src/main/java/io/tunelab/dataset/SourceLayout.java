package io.tunelab.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How a source's entries are arranged: either one folder per class ({@code cat/1.png}), or split
 * folders {@code train/}, {@code val/} and optionally {@code test/}, each with one folder per class
 * ({@code train/cat/1.png}). Detecting the layout places every file in a split and a class, or
 * rejects it with a reason: hidden files and folders, files outside class folders, files nested
 * deeper than class folders.
 */
final class SourceLayout {
  /** The split names of a split layout, in order. */
  static final List<String> SPLITS = List.of("train", "val", "test");

  /** The object a bucket version is marked complete with; it is not an image. */
  static final String READY_MARKER = "_READY";

  /**
   * A file placed in a class folder.
   *
   * @param file the source file
   * @param split its split folder in a split layout, or {@code null} in a class-folder layout
   * @param className the class folder it is in
   * @param rejectReason why it is rejected already, or {@code null} when it is still a candidate
   */
  record Placement(SourceFile file, String split, String className, String rejectReason) {}

  private final boolean splitLayout;
  private final boolean hasTest;
  private final List<Placement> placements;
  private final List<RejectedFile> unplaced;
  private final Map<String, SortedSet<String>> classesBySplit;

  private SourceLayout(
      boolean splitLayout,
      boolean hasTest,
      List<Placement> placements,
      List<RejectedFile> unplaced,
      Map<String, SortedSet<String>> classesBySplit) {
    this.splitLayout = splitLayout;
    this.hasTest = hasTest;
    this.placements = placements;
    this.unplaced = unplaced;
    this.classesBySplit = classesBySplit;
  }

  /** Whether the source has {@code train/} and {@code val/} folders. */
  boolean splitLayout() {
    return splitLayout;
  }

  /** Whether a split layout has a {@code test/} folder. */
  boolean hasTest() {
    return hasTest;
  }

  /** Files inside class folders, in source order. */
  List<Placement> placements() {
    return placements;
  }

  /** Files that belong to no class folder, with the reason. */
  List<RejectedFile> unplaced() {
    return unplaced;
  }

  /**
   * Class folder names by split folder ({@code train}, {@code val}, {@code test}); a class-folder
   * layout has the single key {@code ""}.
   */
  Map<String, SortedSet<String>> classesBySplit() {
    return classesBySplit;
  }

  /** Every class folder name found, sorted. */
  SortedSet<String> allClasses() {
    SortedSet<String> all = new TreeSet<>();
    classesBySplit.values().forEach(all::addAll);
    return all;
  }

  /**
   * Detects the layout of a source's entries and places its files.
   *
   * @throws BadInputException when only one of {@code train/} and {@code val/} exists
   */
  static SourceLayout detect(List<SourceFile> entries) {
    Set<String> top = new TreeSet<>();
    for (SourceFile entry : entries) {
      String[] parts = parts(entry);
      if ((parts.length > 1 || entry.isFolder()) && !hidden(parts[0])) {
        top.add(parts[0]);
      }
    }
    boolean train = top.contains("train");
    boolean val = top.contains("val");
    if (train != val) {
      throw new BadInputException(
          "source has a "
              + (train ? "train/" : "val/")
              + " folder but no "
              + (train ? "val/" : "train/")
              + " folder: a source holds either "
              + "one folder per class, or train/ and val/ (and optionally test/) with one folder per "
              + "class in each");
    }
    return train ? splits(entries, top.contains("test")) : classFolders(entries);
  }

  /**
   * A file at the top of the source: rejected (hidden, or not where images belong), except the
   * {@value #READY_MARKER} marker.
   */
  private static Optional<RejectedFile> topLevelFile(
      SourceFile entry, String hidden, String whereImagesBelong) {
    if (parts(entry)[0].equals(READY_MARKER)) {
      return Optional.empty();
    }
    return Optional.of(
        new RejectedFile(
            entry.path(),
            hidden != null
                ? hidden
                : "file at the top level: images belong in " + whereImagesBelong));
  }

  private static SourceLayout classFolders(List<SourceFile> entries) {
    List<Placement> placements = new ArrayList<>();
    List<RejectedFile> unplaced = new ArrayList<>();
    SortedSet<String> classes = new TreeSet<>();
    for (SourceFile entry : entries) {
      String[] parts = parts(entry);
      String hidden = hiddenReason(parts, entry.isFolder());
      if (entry.isFolder()) {
        if (parts.length == 1 && hidden == null) {
          classes.add(parts[0]);
        }
        continue;
      }
      if (parts.length == 1) {
        topLevelFile(entry, hidden, "a folder named after their class").ifPresent(unplaced::add);
        continue;
      }
      if (hidden(parts[0])) {
        unplaced.add(new RejectedFile(entry.path(), hidden));
        continue;
      }
      classes.add(parts[0]);
      String reason =
          hidden != null ? hidden : parts.length > 2 ? nestedReason(parts[0] + "/") : null;
      placements.add(new Placement(entry, null, parts[0], reason));
    }
    Map<String, SortedSet<String>> bySplit = new LinkedHashMap<>();
    bySplit.put("", classes);
    return new SourceLayout(false, false, placements, unplaced, bySplit);
  }

  private static SourceLayout splits(List<SourceFile> entries, boolean hasTest) {
    List<Placement> placements = new ArrayList<>();
    List<RejectedFile> unplaced = new ArrayList<>();
    Map<String, SortedSet<String>> bySplit = new LinkedHashMap<>();
    for (String split : SPLITS) {
      if (hasTest || !split.equals("test")) {
        bySplit.put(split, new TreeSet<>());
      }
    }
    for (SourceFile entry : entries) {
      String[] parts = parts(entry);
      String hidden = hiddenReason(parts, entry.isFolder());
      boolean isSplit = bySplit.containsKey(parts[0]);
      if (entry.isFolder()) {
        if (parts.length == 2 && isSplit && hidden == null) {
          bySplit.get(parts[0]).add(parts[1]);
        }
        continue;
      }
      if (parts.length == 1) {
        topLevelFile(entry, hidden, "train/<class>/, val/<class>/ or test/<class>/")
            .ifPresent(unplaced::add);
        continue;
      }
      if (!isSplit) {
        unplaced.add(
            new RejectedFile(
                entry.path(),
                hidden != null
                    ? hidden
                    : "folder '"
                        + parts[0]
                        + "' is not a split: a split layout holds only train/, "
                        + "val/ and test/"));
        continue;
      }
      if (parts.length == 2) {
        unplaced.add(
            new RejectedFile(
                entry.path(),
                hidden != null
                    ? hidden
                    : "file directly in "
                        + parts[0]
                        + "/: images belong in a class folder inside it"));
        continue;
      }
      if (hidden(parts[1])) {
        unplaced.add(new RejectedFile(entry.path(), hidden));
        continue;
      }
      bySplit.get(parts[0]).add(parts[1]);
      String reason =
          hidden != null
              ? hidden
              : parts.length > 3 ? nestedReason(parts[0] + "/" + parts[1] + "/") : null;
      placements.add(new Placement(entry, parts[0], parts[1], reason));
    }
    bySplit.replaceAll((split, classes) -> Collections.unmodifiableSortedSet(classes));
    return new SourceLayout(true, hasTest, placements, unplaced, bySplit);
  }

  private static String nestedReason(String classFolder) {
    return "nested folder: images must sit directly in their class folder " + classFolder;
  }

  private static String[] parts(SourceFile entry) {
    String path =
        entry.isFolder() ? entry.path().substring(0, entry.path().length() - 1) : entry.path();
    return path.split("/");
  }

  private static boolean hidden(String name) {
    return name.startsWith(".");
  }

  /** The reason an entry is hidden (itself or a folder above it), or {@code null}. */
  private static String hiddenReason(String[] parts, boolean folder) {
    for (int i = 0; i < parts.length; i++) {
      if (hidden(parts[i])) {
        return i == parts.length - 1 && !folder
            ? "hidden file"
            : "inside hidden folder '" + parts[i] + "'";
      }
    }
    return null;
  }
}
