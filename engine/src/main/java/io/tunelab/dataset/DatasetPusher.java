package io.tunelab.dataset;

import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.DatasetNames;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tunelab data push}: validates a source exactly as an ingest does (every file read and
 * decoded; an empty class, fewer than two classes or a class too small to split is bad input) and
 * uploads its good files as a new version {@code datasets/NAME/v<N>-<8 hex>/}, laid out as in the
 * source, with {@code _READY} written last. Rejected files are <em>not</em> uploaded: a version
 * holds only images an ingest accepts, and the caller lists the rejected ones.
 *
 * <p>The version is named {@code v<N>-<first 8 hex digits of its content hash>}, N one more than
 * the highest N among the dataset's version folders. Content identical to a complete version (same
 * relative paths, same bytes) is not uploaded again: that version is returned. A push that died
 * half-way left a folder without {@code _READY}; pushing the same content again finishes that
 * folder.
 */
public final class DatasetPusher {
  /** Images are decoded at this shape to validate them; the version keeps the original files. */
  static final SampleShape CHECK_SHAPE = SampleShape.image(1, 28, 28);

  private static final Pattern NUMBERED = Pattern.compile("v(\\d{1,9})-([0-9a-f]{8})");

  /** Told what the push is doing. */
  public interface Listener {
    /** {@code done} of {@code total} files read and decoded. */
    default void validating(int done, int total) {}

    /** {@code done} of {@code total} files uploaded. */
    default void uploading(int done, int total) {}
  }

  /**
   * What a push did.
   *
   * @param version the version holding the content
   * @param uploaded whether files were uploaded (false: the content was there already)
   * @param files number of files in the version
   * @param rejected files not uploaded, with the reason
   * @param contentHash the content hash ({@link DatasetVersions})
   */
  public record Outcome(
      String version,
      boolean uploaded,
      int files,
      List<RejectedFile> rejected,
      String contentHash) {}

  private final ObjectStore store;
  private final Ingestor ingestor;
  private final DatasetVersions versions;

  public DatasetPusher(ObjectStore store, Ingestor ingestor) {
    this.store = store;
    this.ingestor = ingestor;
    this.versions = new DatasetVersions(store);
  }

  /**
   * Validates and uploads a source as a version of a dataset.
   *
   * @throws BadInputException when the source cannot be ingested as it is
   * @throws IOException when the source cannot be read
   */
  public Outcome push(ImageSource source, String dataset, Listener listener) throws IOException {
    DatasetNames.requireValid(dataset);
    IngestOutcome checked =
        ingestor.ingest(source, IngestOptions.of(CHECK_SHAPE, 0), listener::validating);
    Set<String> rejected = new HashSet<>();
    checked.rejected().forEach(r -> rejected.add(r.path()));

    List<SourceFile> files = new ArrayList<>();
    for (SourceFile file : source.files()) {
      if (!file.isFolder() && !file.path().equals(Keys.READY) && !rejected.contains(file.path())) {
        files.add(file);
      }
    }
    SortedMap<String, String> hashes = new TreeMap<>();
    SortedMap<String, Long> sizes = new TreeMap<>();
    for (SourceFile file : files) {
      byte[] bytes = read(file);
      hashes.put(file.path(), DatasetVersions.sha256(bytes));
      sizes.put(file.path(), (long) bytes.length);
    }
    return upload(dataset, files, hashes, sizes, checked.rejected(), listener);
  }

  /** Uploads the files as a new version, unless a complete version has the same content. */
  private Outcome upload(
      String dataset,
      List<SourceFile> files,
      SortedMap<String, String> hashes,
      SortedMap<String, Long> sizes,
      List<RejectedFile> rejected,
      Listener listener)
      throws IOException {
    String hash = DatasetVersions.contentHash(hashes);
    Optional<String> same = versions.findSameContent(dataset, hash, sizes);
    if (same.isPresent()) {
      return new Outcome(same.get(), false, files.size(), rejected, hash);
    }

    String version = newVersionName(dataset, hash);
    String prefix = Keys.datasetVersion(dataset, version);
    int done = 0;
    listener.uploading(0, files.size());
    for (SourceFile file : files) {
      store.put(prefix + file.path(), read(file), contentType(file.name()));
      listener.uploading(++done, files.size());
    }
    DatasetVersions.ReadyMarker marker =
        new DatasetVersions.ReadyMarker(
            DatasetVersions.FORMAT, dataset, version, hash, files.size(), Instant.now().toString());
    store.put(Keys.datasetReady(dataset, version), Json.bytes(marker), "application/json");
    return new Outcome(version, true, files.size(), rejected, hash);
  }

  /**
   * Validates a table as its ingest does (both passes: headers, label, categories, every row) and
   * uploads its CSV files whole as a new version: a single file under its own name, the user's
   * splits as train.csv, val.csv and test.csv. Rows that an ingest will reject stay in the files
   * (they are part of the user's CSV) and are listed in the outcome.
   *
   * @throws BadInputException when the table cannot be ingested as it is
   * @throws IOException when a file cannot be read
   */
  public Outcome pushTable(
      TableFiles table, TableOptions options, String dataset, Listener listener)
      throws IOException {
    DatasetNames.requireValid(dataset);
    listener.validating(0, 1);
    TableOutcome checked = TableIngestor.ingest(table, options);
    listener.validating(1, 1);
    SortedMap<String, String> hashes = new TreeMap<>();
    SortedMap<String, Long> sizes = new TreeMap<>();
    for (SourceFile file : table.files()) {
      byte[] bytes = read(file);
      hashes.put(file.path(), DatasetVersions.sha256(bytes));
      sizes.put(file.path(), (long) bytes.length);
    }
    return upload(dataset, table.files(), hashes, sizes, checked.profile().rejected(), listener);
  }

  /** {@code v<N>-<hash8>}: an unfinished folder of the same content, else the next number. */
  private String newVersionName(String dataset, String hash) {
    String tag = hash.substring(0, 8);
    int highest = 0;
    for (String folder : versions.folders(dataset)) {
      Matcher m = NUMBERED.matcher(folder);
      if (m.matches()) {
        if (m.group(2).equals(tag) && !store.exists(Keys.datasetReady(dataset, folder))) {
          return folder; // a push of this content that did not finish
        }
        highest = Math.max(highest, Integer.parseInt(m.group(1)));
      }
    }
    return "v" + (highest + 1) + "-" + tag;
  }

  private static byte[] read(SourceFile file) throws IOException {
    try (InputStream in = file.open()) {
      return in.readAllBytes();
    }
  }

  private static String contentType(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".png")) {
      return "image/png";
    }
    if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (lower.endsWith(".bmp")) {
      return "image/bmp";
    }
    if (lower.endsWith(".gif")) {
      return "image/gif";
    }
    if (lower.endsWith(".csv")) {
      return "text/csv";
    }
    return "application/octet-stream";
  }
}
