package io.tunelab.dataset;

import io.tunelab.dataset.SourceLayout.Placement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What an ingest of a source with some options considers: its layout, the selected classes and
 * their labels, the files rejected by their name or place alone, and the candidates left to read.
 * Selecting checks what the user must fix before anything is read: an unknown class in {@code
 * --classes}, fewer than two classes, split folders with different classes, a class without a
 * candidate file.
 *
 * @param options the options, with the source's class aliases in {@code --classes} replaced by
 *     class names
 * @param layout the source's layout
 * @param classes the selected classes, sorted; their index is their label
 * @param labels class name to label
 * @param rejected files rejected by their name or place, in layout order
 * @param candidates files left to read, in path order
 * @param rejectedPerGroup {@link #group} to the number of its files rejected so far
 */
record ClassSelection(
    IngestOptions options,
    SourceLayout layout,
    List<String> classes,
    Map<String, Integer> labels,
    List<RejectedFile> rejected,
    List<Placement> candidates,
    Map<String, Integer> rejectedPerGroup) {

  /**
   * Lists the source and selects its classes and candidate files.
   *
   * @throws BadInputException when the source cannot be ingested as given
   * @throws IOException when the source cannot be listed
   */
  static ClassSelection of(ImageSource source, IngestOptions options) throws IOException {
    List<SourceFile> entries = new ArrayList<>(source.files());
    entries.sort(Comparator.comparing(SourceFile::path));
    SourceLayout layout = SourceLayout.detect(entries);
    IngestOptions named =
        options.withClasses(named(layout.allClasses(), options.classes(), source.classAliases()));
    List<String> classes = selectClasses(layout, named.classes(), source.classAliases());
    Map<String, Integer> labels = new LinkedHashMap<>();
    for (String name : classes) {
      labels.put(name, labels.size());
    }

    List<RejectedFile> rejected = new ArrayList<>(layout.unplaced());
    List<Placement> candidates = new ArrayList<>();
    Map<String, Integer> rejectedPerGroup = new TreeMap<>();
    for (Placement p : layout.placements()) {
      if (!labels.containsKey(p.className())) {
        continue;
      }
      String reason =
          p.rejectReason() != null
              ? p.rejectReason()
              : DataKind.of(options.shape()).fileProblem(p.file().name());
      if (reason != null) {
        rejected.add(new RejectedFile(p.file().path(), reason));
        rejectedPerGroup.merge(group(p), 1, Integer::sum);
      } else {
        candidates.add(p);
      }
    }
    requireUsable(layout, classes, candidates, rejectedPerGroup);
    return new ClassSelection(
        named, layout, classes, labels, rejected, candidates, rejectedPerGroup);
  }

  /** The class folder a file counts for: its class, within its split folder when it has one. */
  static String group(Placement p) {
    return p.split() == null ? p.className() : p.split() + "/" + p.className();
  }

  /**
   * Requires a usable file in every selected class of every split folder.
   *
   * @throws BadInputException naming each class without one, with its number of rejected files
   */
  static void requireUsable(
      SourceLayout layout,
      List<String> classes,
      List<Placement> usable,
      Map<String, Integer> rejectedPerGroup) {
    Map<String, Integer> usablePerGroup = new TreeMap<>();
    for (Placement p : usable) {
      usablePerGroup.merge(group(p), 1, Integer::sum);
    }
    List<String> problems = new ArrayList<>();
    for (String split : layout.classesBySplit().keySet()) {
      for (String name : classes) {
        String key = split.isEmpty() ? name : split + "/" + name;
        if (usablePerGroup.getOrDefault(key, 0) == 0) {
          int bad = rejectedPerGroup.getOrDefault(key, 0);
          problems.add(
              "class '"
                  + name
                  + "' has no usable image"
                  + (split.isEmpty() ? "" : " in " + split + "/")
                  + " ("
                  + bad
                  + (bad == 1 ? " file" : " files")
                  + " rejected)");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new BadInputException(String.join("; ", problems));
    }
  }

  /** The classes given in --classes with the source's aliases among them replaced by names. */
  private static List<String> named(
      SortedSet<String> all, List<String> given, Map<String, String> aliases) {
    return given.stream()
        .map(
            c -> {
              String name = aliases.get(c);
              return all.contains(c) || name == null || !all.contains(name) ? c : name;
            })
        .toList();
  }

  private static List<String> selectClasses(
      SourceLayout layout, List<String> selection, Map<String, String> aliases) {
    SortedSet<String> all = layout.allClasses();
    SortedSet<String> selected = new TreeSet<>(all);
    if (!selection.isEmpty()) {
      List<String> unknown = selection.stream().filter(c -> !all.contains(c)).distinct().toList();
      if (!unknown.isEmpty()) {
        throw new BadInputException(
            (unknown.size() == 1 ? "class " : "classes ")
                + quoted(unknown)
                + " given in --classes "
                + (unknown.size() == 1 ? "does" : "do")
                + " not exist; the source has "
                + (all.isEmpty() ? "no class folders" : "classes " + quoted(all))
                + (aliases.isEmpty()
                    ? ""
                    : " (or their labels " + String.join(", ", aliases.keySet()) + ")"));
      }
      selected = new TreeSet<>(selection);
    }
    if (layout.splitLayout()) {
      List<String> problems = new ArrayList<>();
      for (Map.Entry<String, SortedSet<String>> split : layout.classesBySplit().entrySet()) {
        List<String> missing =
            selected.stream().filter(c -> !split.getValue().contains(c)).toList();
        if (!missing.isEmpty()) {
          problems.add(
              quoted(missing)
                  + (missing.size() == 1 ? " is" : " are")
                  + " missing from "
                  + split.getKey()
                  + "/");
        }
      }
      if (!problems.isEmpty()) {
        throw new BadInputException(
            "train/, val/"
                + (layout.hasTest() ? " and test/" : "")
                + " must hold the same class folders: "
                + String.join("; ", problems));
      }
    }
    if (selected.size() < 2) {
      throw new BadInputException(
          "need at least two classes, found "
              + selected.size()
              + (selected.isEmpty() ? "" : ": " + quoted(selected))
              + (selection.isEmpty() ? "" : " selected by --classes"));
    }
    return List.copyOf(selected);
  }

  private static String quoted(Collection<String> names) {
    return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
  }
}
