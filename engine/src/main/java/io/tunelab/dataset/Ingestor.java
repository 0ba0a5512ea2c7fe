package io.tunelab.dataset;

import io.tunelab.dataset.SourceLayout.Placement;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns an image source into train, val and test splits of packed images, with a manifest and a
 * profile. It selects the classes and candidate files ({@link ClassSelection}), decodes and hashes
 * the candidates on several threads ({@link DecodePool}), rejecting bad files with a reason and
 * going on, converts the images to the target shape, splits them reproducibly ({@link SplitPlan}),
 * packs each split ({@link ShardPacker}) and profiles the result ({@link DatasetProfiler}). The
 * same source content and options give byte-identical results, whatever the number of threads.
 *
 * <p>Mistakes the user must fix (a missing source, a class without usable images, fewer than two
 * classes, splits with different classes, an unknown class selected) end in a {@link
 * BadInputException} that names the problem.
 */
public final class Ingestor {
  /** Changes when the ingest's output for the same input changes; part of the content id. */
  static final String FORMAT = "tunelab-ingest/1";

  private final DecodePool pool;

  /** An ingestor that decodes on as many threads as there are processors. */
  public Ingestor() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /** An ingestor that decodes on {@code threads} threads. */
  public Ingestor(int threads) {
    this.pool = new DecodePool(threads);
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
    ClassSelection selection = ClassSelection.of(source, options);
    List<String> classes = selection.classes();
    List<RejectedFile> rejected = new ArrayList<>(selection.rejected());
    List<Placement> candidates = selection.candidates();
    Map<String, Integer> rejectedPerGroup = new TreeMap<>(selection.rejectedPerGroup());

    DataKind kind = DataKind.of(options.shape());
    List<DecodeResult> results =
        pool.map(
            candidates.size(), progress, i -> kind.read(candidates.get(i).file(), options.shape()));
    List<AcceptedImage> accepted = new ArrayList<>();
    List<Placement> usable = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Placement p = candidates.get(i);
      DecodeResult result = results.get(i);
      if (result.image() != null) {
        accepted.add(new AcceptedImage(p, result.image(), selection.labels().get(p.className())));
        usable.add(p);
      } else {
        rejected.add(new RejectedFile(p.file().path(), result.rejection()));
        rejectedPerGroup.merge(ClassSelection.group(p), 1, Integer::sum);
      }
    }
    ClassSelection.requireUsable(selection.layout(), classes, usable, rejectedPerGroup);
    rejected.sort(Comparator.comparing(RejectedFile::path));

    SampleShape shape =
        kind.storedShape(
            options.shape(),
            options.detectChannels(),
            accepted.stream().map(AcceptedImage::image).toList());

    SplitPlan plan = SplitPlan.of(selection.layout(), classes, accepted, options, kind);
    Map<String, LabeledImages> splits = new LinkedHashMap<>();
    for (int s = 0; s < 3; s++) {
      splits.put(StratifiedSplit.name(s), ShardPacker.pack(plan.split(s), shape));
    }

    String contentId = contentId(selection, accepted, rejected);
    Supplier<DatasetProfile> profile =
        DatasetProfiler.profile(
            selection, shape, plan, accepted, splits, rejected, pool.parallel());
    Manifest manifest = manifest(contentId, classes, shape, plan);
    return new IngestOutcome(
        contentId, List.copyOf(classes), splits, shape, manifest::toJson, profile);
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
    ClassSelection selection = ClassSelection.of(source, options);
    List<Placement> candidates = selection.candidates();
    String snapshot = source.snapshot();
    List<String> identities =
        snapshot != null
            ? null
            : pool.map(
                candidates.size(),
                progress,
                i -> identity(DataKind.of(options.shape()), candidates.get(i).file()));
    List<String> lines = new ArrayList<>();
    for (RejectedFile r : selection.rejected()) {
      lines.add(ContentId.rejected(r.path(), r.reason()));
    }
    for (int i = 0; i < candidates.size(); i++) {
      Placement p = candidates.get(i);
      if (snapshot == null && identities.get(i) == null) {
        return null;
      }
      lines.add(
          p.file().path()
              + "\t"
              + (snapshot == null ? identities.get(i) : "")
              + "\t"
              + p.className()
              + "\t"
              + (p.split() == null ? "" : p.split()));
    }
    return ContentId.of(
        FORMAT + "/source" + (snapshot == null ? "" : "/" + snapshot),
        layoutName(selection.layout()),
        selection.options(),
        lines);
  }

  /**
   * What stands for a candidate's content in the fingerprint: the version its source vouches for,
   * the SHA-256 of its bytes, or the reason it is rejected; {@code null} when it cannot be read
   * now.
   */
  private static String identity(DataKind kind, SourceFile file) {
    if (file.version() != null) {
      return "version	" + file.version() + "	" + file.size();
    }
    return kind.contentIdentity(file);
  }

  private static String layoutName(SourceLayout layout) {
    return layout.splitLayout() ? "splits" : "class-folders";
  }

  private static Manifest manifest(
      String contentId, List<String> classes, SampleShape shape, SplitPlan plan) {
    List<ManifestEntry> entries = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      List<AcceptedImage> split = plan.split(s);
      for (int i = 0; i < split.size(); i++) {
        AcceptedImage a = split.get(i);
        entries.add(
            new ManifestEntry(a.path(), a.sha256(), a.className(), StratifiedSplit.name(s), i));
      }
    }
    return new Manifest(contentId, List.copyOf(classes), shape, entries);
  }

  private static String contentId(
      ClassSelection selection, List<AcceptedImage> accepted, List<RejectedFile> rejected) {
    List<String> files = new ArrayList<>();
    for (AcceptedImage a : accepted) {
      Placement p = a.placement();
      files.add(ContentId.accepted(p.file().path(), a.sha256(), p.className(), p.split()));
    }
    for (RejectedFile r : rejected) {
      files.add(ContentId.rejected(r.path(), r.reason()));
    }
    return ContentId.of(FORMAT, layoutName(selection.layout()), selection.options(), files);
  }
}
