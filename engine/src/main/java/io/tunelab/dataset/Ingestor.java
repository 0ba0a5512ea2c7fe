package io.tunelab.dataset;

import io.tunelab.dataset.SourceLayout.Placement;
import io.tunelab.workflows.model.ImageShape;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns an image source into train, val and test splits of packed images, with a manifest and a
 * profile. It detects the layout, rejects bad files with a reason (and goes on), decodes and hashes
 * the good ones on several threads, converts them to the target shape, splits them reproducibly,
 * and finds duplicates. The same source content and options give byte-identical results, whatever
 * the number of threads.
 *
 * <p>Mistakes the user must fix (a missing source, a class without usable images, fewer than two
 * classes, splits with different classes, an unknown class selected) end in a {@link
 * BadInputException} that names the problem.
 */
public final class Ingestor {
  /** Changes when the ingest's output for the same input changes; part of the content id. */
  static final String FORMAT = "tunelab-ingest/1";

  private final int threads;

  /** An ingestor that decodes on as many threads as there are processors. */
  public Ingestor() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /** An ingestor that decodes on {@code threads} threads. */
  public Ingestor(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    this.threads = threads;
  }

  /** One image that was decoded and kept. */
  private record Accepted(Placement placement, DecodedImage image, int label) {
    String path() {
      return placement.file().path();
    }

    String sha256() {
      return image.sha256();
    }
  }

  /**
   * Ingests a source.
   *
   * @param source where the images are
   * @param options class selection, cap, seed and shape
   * @param progress told how many files have been decoded, on the calling thread
   * @return the splits, manifest, profile and content id
   * @throws BadInputException when the source cannot be ingested as given
   * @throws IOException when the source cannot be listed, or the thread is interrupted
   */
  public IngestOutcome ingest(ImageSource source, IngestOptions options, IngestProgress progress)
      throws IOException {
    Selection selection = select(source, options);
    SourceLayout layout = selection.layout();
    List<String> classes = selection.classes();
    Map<String, Integer> labels = selection.labels();
    List<RejectedFile> rejected = new ArrayList<>(selection.rejected());
    List<Placement> candidates = selection.candidates();
    Map<String, Integer> rejectedPerGroup = new TreeMap<>(selection.rejectedPerGroup());

    ImageDecoder decoder = new ImageDecoder(options.shape().height(), options.shape().width());
    Object[] results = decodeAll(candidates, decoder, progress);
    List<Accepted> accepted = new ArrayList<>();
    List<Placement> usable = new ArrayList<>();
    for (int i = 0; i < results.length; i++) {
      Placement p = candidates.get(i);
      if (results[i] instanceof DecodedImage image) {
        accepted.add(new Accepted(p, image, labels.get(p.className())));
        usable.add(p);
      } else {
        rejected.add(new RejectedFile(p.file().path(), (String) results[i]));
        rejectedPerGroup.merge(group(p), 1, Integer::sum);
      }
    }
    requireUsable(layout, classes, usable, rejectedPerGroup);
    rejected.sort(Comparator.comparing(RejectedFile::path));

    int channels = options.shape().channels();
    if (options.detectChannels()) {
      channels = accepted.stream().allMatch(a -> a.image().grey()) ? 1 : 3;
    }
    ImageShape shape = new ImageShape(channels, options.shape().height(), options.shape().width());

    int[] splitOf = assignSplits(layout, classes, accepted, options);
    List<List<Accepted>> bySplit = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      bySplit.add(new ArrayList<>());
    }
    for (int i = 0; i < accepted.size(); i++) {
      if (splitOf[i] != StratifiedSplit.UNUSED) {
        bySplit.get(splitOf[i]).add(accepted.get(i));
      }
    }
    Comparator<Accepted> shardOrder =
        Comparator.comparingInt(Accepted::label)
            .thenComparing(Accepted::sha256)
            .thenComparing(Accepted::path);
    bySplit.forEach(list -> list.sort(shardOrder));
    for (int s = StratifiedSplit.VAL; s <= StratifiedSplit.TEST; s++) {
      if (bySplit.get(s).isEmpty()) {
        throw new BadInputException(
            "the "
                + StratifiedSplit.name(s)
                + " split is empty: "
                + (layout.splitLayout()
                    ? "the training split is too small to carve a test split out " + "of it"
                    : "each class needs at least 3 usable images to be split into train, val "
                        + "and test"));
      }
    }

    Map<String, LabeledImages> splits = new LinkedHashMap<>();
    for (int s = 0; s < 3; s++) {
      splits.put(StratifiedSplit.name(s), pack(bySplit.get(s), shape));
    }

    String contentId = contentId(selection.options(), accepted, rejected, layout);
    Supplier<DatasetProfile> profile =
        profile(layout, classes, shape, bySplit, splits, accepted, splitOf, rejected);
    Manifest manifest = manifest(contentId, classes, shape, bySplit);
    return new IngestOutcome(
        contentId, List.copyOf(classes), splits, shape, manifest::toJson, profile);
  }

  /**
   * What an ingest of the source with these options considers: its layout, the selected classes and
   * their labels, the files rejected by their name or place alone, and the candidates left to read.
   */
  private record Selection(
      IngestOptions options,
      SourceLayout layout,
      List<String> classes,
      Map<String, Integer> labels,
      List<RejectedFile> rejected,
      List<Placement> candidates,
      Map<String, Integer> rejectedPerGroup) {}

  private static Selection select(ImageSource source, IngestOptions options) throws IOException {
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
              : ImageDecoder.extensionProblem(p.file().name());
      if (reason != null) {
        rejected.add(new RejectedFile(p.file().path(), reason));
        rejectedPerGroup.merge(group(p), 1, Integer::sum);
      } else {
        candidates.add(p);
      }
    }
    requireUsable(layout, classes, candidates, rejectedPerGroup);
    return new Selection(named, layout, classes, labels, rejected, candidates, rejectedPerGroup);
  }

  /**
   * The fingerprint of what {@link #ingest} would read from the source with these options: hex
   * SHA-256 over the ingest format, the layout, the options, the files rejected by their name or
   * place, and each candidate's path with the SHA-256 of its bytes, or with the version the source
   * vouches for instead ({@link SourceFile#version()}, such as an object's ETag, or the source's
   * {@link ImageSource#snapshot()}). Since an ingest is a pure function of these, equal
   * fingerprints mean byte-identical ingests, and a stored one can be reused without decoding a
   * single image; hashing reads the files but decodes nothing, a small part of an ingest's work.
   *
   * @param progress told how many candidates have been hashed, on the calling thread
   * @return the fingerprint, or {@code null} when a file cannot be read now (only an ingest can
   *     then say what becomes of it)
   * @throws BadInputException when the source cannot be ingested as given
   * @throws IOException when the source cannot be listed, or the thread is interrupted
   */
  public String fingerprint(ImageSource source, IngestOptions options, IngestProgress progress)
      throws IOException {
    Selection selection = select(source, options);
    List<Placement> candidates = selection.candidates();
    String snapshot = source.snapshot();
    Object[] identities =
        snapshot != null
            ? new Object[candidates.size()]
            : runAll(
                candidates.size(),
                progress,
                index -> {
                  SourceFile file = candidates.get(index).file();
                  if (file.version() != null) {
                    return "version\t" + file.version() + "\t" + file.size();
                  }
                  try {
                    return "sha256\t" + ImageDecoder.contentHash(file);
                  } catch (ImageDecoder.Rejection r) {
                    return r.getMessage().startsWith(ImageDecoder.UNREADABLE)
                        ? null
                        : "rejected\t" + r.getMessage();
                  }
                });
    List<String> lines = new ArrayList<>();
    for (RejectedFile r : selection.rejected()) {
      lines.add(ContentId.rejected(r.path(), r.reason()));
    }
    for (int i = 0; i < candidates.size(); i++) {
      Placement p = candidates.get(i);
      if (snapshot == null && identities[i] == null) {
        return null;
      }
      lines.add(
          p.file().path()
              + "\t"
              + (snapshot == null ? identities[i] : "")
              + "\t"
              + p.className()
              + "\t"
              + (p.split() == null ? "" : p.split()));
    }
    return ContentId.of(
        FORMAT + "/source" + (snapshot == null ? "" : "/" + snapshot),
        selection.layout().splitLayout() ? "splits" : "class-folders",
        selection.options(),
        lines);
  }

  private static String group(Placement p) {
    return p.split() == null ? p.className() : p.split() + "/" + p.className();
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

  private static void requireUsable(
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

  /** Decodes every candidate; each result is a {@link DecodedImage} or a rejection reason. */
  private Object[] decodeAll(
      List<Placement> candidates, ImageDecoder decoder, IngestProgress progress)
      throws IOException {
    return runAll(
        candidates.size(),
        progress,
        index -> {
          try {
            return decoder.decode(candidates.get(index).file());
          } catch (ImageDecoder.Rejection r) {
            return r.getMessage();
          }
        });
  }

  /** Work on one candidate, by its index. */
  @FunctionalInterface
  private interface Task {
    Object run(int index);
  }

  /** Runs {@code task} for indices 0 to {@code total - 1} on the ingest's threads. */
  private Object[] runAll(int total, IngestProgress progress, Task task) throws IOException {
    Object[] results = new Object[total];
    progress.update(0, total);
    if (total == 0) {
      return results;
    }
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(threads, total),
            r -> {
              Thread t = new Thread(r, "tunelab-ingest-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      CompletionService<Integer> done = new ExecutorCompletionService<>(pool);
      for (int i = 0; i < total; i++) {
        int index = i;
        done.submit(
            () -> {
              results[index] = task.run(index);
              return index;
            });
      }
      for (int i = 0; i < total; i++) {
        done.take().get();
        progress.update(i + 1, total);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException stop = new InterruptedIOException("ingest interrupted");
      stop.initCause(e);
      throw stop;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException("decoding failed", cause);
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  private static int[] assignSplits(
      SourceLayout layout, List<String> classes, List<Accepted> accepted, IngestOptions options) {
    int[] splitOf = new int[accepted.size()];
    for (String name : classes) {
      List<StratifiedSplit.Member> all = new ArrayList<>();
      List<StratifiedSplit.Member> train = new ArrayList<>();
      for (int i = 0; i < accepted.size(); i++) {
        Accepted a = accepted.get(i);
        if (!a.placement().className().equals(name)) {
          continue;
        }
        StratifiedSplit.Member m = new StratifiedSplit.Member(i, a.sha256(), a.path());
        all.add(m);
        if (layout.splitLayout()) {
          splitOf[i] = SourceLayout.SPLITS.indexOf(a.placement().split());
          if (splitOf[i] == StratifiedSplit.TRAIN) {
            train.add(m);
          }
        }
      }
      if (!layout.splitLayout()) {
        StratifiedSplit.splitClass(all, name, options.seed(), splitOf);
      } else if (!layout.hasTest()) {
        StratifiedSplit.carveTest(train, name, options.seed(), splitOf);
      }
      List<StratifiedSplit.Member> finalTrain =
          all.stream().filter(m -> splitOf[m.index()] == StratifiedSplit.TRAIN).toList();
      StratifiedSplit.cap(finalTrain, name, options.seed(), options.perClass(), splitOf);
    }
    return splitOf;
  }

  private static LabeledImages pack(List<Accepted> images, ImageShape shape) {
    int size = shape.pixels();
    byte[] pixels = new byte[images.size() * size];
    int[] labels = new int[images.size()];
    for (int i = 0; i < images.size(); i++) {
      Accepted a = images.get(i);
      System.arraycopy(a.image().pixels(shape.channels()), 0, pixels, i * size, size);
      labels[i] = a.label();
    }
    return new LabeledImages(shape, pixels, labels);
  }

  /**
   * The profile: what needs the accepted images is gathered now, the pixel statistics and the
   * duplicate search (most of an ingest's own work) when the profile is first asked for.
   */
  private Supplier<DatasetProfile> profile(
      SourceLayout layout,
      List<String> classes,
      ImageShape shape,
      List<List<Accepted>> bySplit,
      Map<String, LabeledImages> splits,
      List<Accepted> accepted,
      int[] splitOf,
      List<RejectedFile> rejected) {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    Map<String, Integer> sizes = new TreeMap<>();
    int grey = 0;
    List<DuplicateIndex.Entry> entries = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      String split = StratifiedSplit.name(s);
      Map<String, Integer> perClass = new LinkedHashMap<>();
      classes.forEach(c -> perClass.put(c, 0));
      for (Accepted a : bySplit.get(s)) {
        perClass.merge(a.placement().className(), 1, Integer::sum);
        sizes.merge(a.image().width() + "x" + a.image().height(), 1, Integer::sum);
        grey += a.image().grey() ? 1 : 0;
        entries.add(
            new DuplicateIndex.Entry(s, a.path(), a.image().contentKey(), a.image().dHash()));
      }
      counts.put(split, perClass);
    }
    Map<String, Integer> cappedOut = new LinkedHashMap<>();
    classes.forEach(c -> cappedOut.put(c, 0));
    for (int i = 0; i < accepted.size(); i++) {
      if (splitOf[i] == StratifiedSplit.UNUSED) {
        cappedOut.merge(accepted.get(i).placement().className(), 1, Integer::sum);
      }
    }
    int max = counts.get("train").values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int min = counts.get("train").values().stream().mapToInt(Integer::intValue).min().orElse(0);
    double imbalance =
        min == 0 ? Double.POSITIVE_INFINITY : Math.round((double) max / min * 1e6) / 1e6;
    int greyImages = grey;
    return () -> {
      Map<String, PixelStats> pixels = new LinkedHashMap<>();
      for (int s = 0; s < 3; s++) {
        String split = StratifiedSplit.name(s);
        pixels.put(
            split,
            PixelStats.of(
                splits.get(split).pixels(), shape.channels(), shape.height() * shape.width()));
      }
      DuplicateIndex.Summary dups = DuplicateIndex.find(entries, threads > 1);
      return new DatasetProfile(
          layout.splitLayout() ? "splits" : "class-folders",
          layout.splitLayout() && !layout.hasTest(),
          List.copyOf(classes),
          shape,
          counts,
          cappedOut,
          imbalance,
          pixels,
          sizes,
          greyImages,
          entries.size() - greyImages,
          List.copyOf(rejected),
          dups.acrossSplits(),
          dups.withinSplits(),
          dups.pairs(),
          dups.nearAcrossSplits(),
          dups.nearPairs());
    };
  }

  private static Manifest manifest(
      String contentId, List<String> classes, ImageShape shape, List<List<Accepted>> bySplit) {
    List<ManifestEntry> entries = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      List<Accepted> split = bySplit.get(s);
      for (int i = 0; i < split.size(); i++) {
        Accepted a = split.get(i);
        entries.add(
            new ManifestEntry(
                a.path(), a.sha256(), a.placement().className(), StratifiedSplit.name(s), i));
      }
    }
    return new Manifest(contentId, List.copyOf(classes), shape, entries);
  }

  private static String contentId(
      IngestOptions options,
      List<Accepted> accepted,
      List<RejectedFile> rejected,
      SourceLayout layout) {
    List<String> files = new ArrayList<>();
    for (Accepted a : accepted) {
      Placement p = a.placement();
      files.add(ContentId.accepted(p.file().path(), a.sha256(), p.className(), p.split()));
    }
    for (RejectedFile r : rejected) {
      files.add(ContentId.rejected(r.path(), r.reason()));
    }
    return ContentId.of(FORMAT, layout.splitLayout() ? "splits" : "class-folders", options, files);
  }

  private static String quoted(Collection<String> names) {
    return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
  }
}
