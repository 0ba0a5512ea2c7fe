package io.tunelab.dataset;

import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.S3ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CSV files of a table source: one file that the ingest splits ({@code FILE.csv}), or the
 * user's {@code train.csv}, {@code val.csv} and optionally {@code test.csv} in a folder (local or
 * an {@code s3://} prefix), kept as given.
 *
 * @param describe the source as the user named it, for messages
 * @param files the single file, or train, val and (when present) test in that order
 * @param splitLayout whether the files are the user's splits
 */
public record TableFiles(String describe, List<SourceFile> files, boolean splitLayout) {
  static final String TRAIN = "train.csv";
  static final String VAL = "val.csv";
  static final String TEST = "test.csv";

  /** Copies the file list. */
  public TableFiles {
    files = List.copyOf(files);
  }

  /** Whether the user gave a test split. */
  public boolean hasTest() {
    return splitLayout && files.size() == 3;
  }

  /** One CSV file to be split by the ingest. */
  public static TableFiles single(String describe, SourceFile file) {
    return new TableFiles(describe, List.of(file), false);
  }

  /**
   * The table files of a folder's listing: its {@code train.csv}, {@code val.csv} and {@code
   * test.csv}, or its one file when that is a CSV (a version {@code data push} made of a single
   * CSV); {@code null} when it holds neither (it is then an image source).
   *
   * @throws BadInputException when it holds train.csv but no val.csv
   */
  public static TableFiles ofListing(String describe, List<SourceFile> listing) {
    Map<String, SourceFile> top = new TreeMap<>();
    for (SourceFile f : listing) {
      if (!f.isFolder() && !f.path().contains("/")) {
        top.put(f.path().toLowerCase(Locale.ROOT), f);
      }
    }
    if (!top.containsKey(TRAIN)) {
      List<SourceFile> data =
          listing.stream().filter(f -> !f.isFolder() && !f.path().equals(Keys.READY)).toList();
      boolean oneCsv =
          data.size() == 1
              && !data.get(0).path().contains("/")
              && data.get(0).path().toLowerCase(Locale.ROOT).endsWith(".csv");
      return oneCsv ? single(describe, data.get(0)) : null;
    }
    if (!top.containsKey(VAL)) {
      throw new BadInputException(
          describe + " holds train.csv but no val.csv: give both (and optionally test.csv)");
    }
    List<SourceFile> files = new ArrayList<>(List.of(top.get(TRAIN), top.get(VAL)));
    if (top.containsKey(TEST)) {
      files.add(top.get(TEST));
    }
    return new TableFiles(describe, files, true);
  }

  /**
   * The table files a {@code --data} source names, or {@code null} when it is not a table: a {@code
   * .csv} file, or a folder or {@code s3://} prefix holding {@code train.csv}. An {@code s3://}
   * source is read through the S3 client of {@code store} (streamed), or through {@code store}
   * itself when it is not an S3 store (tests' in-memory bucket) and names its bucket.
   *
   * @throws BadInputException when the file or folder does not exist
   * @throws IOException when the source cannot be listed
   */
  public static TableFiles open(String uri, ObjectStore store) throws IOException {
    boolean csv = uri.toLowerCase(Locale.ROOT).endsWith(".csv");
    if (!uri.startsWith("s3://")) {
      Path path = Path.of(uri);
      if (csv) {
        if (!Files.isRegularFile(path)) {
          throw new BadInputException("table file '" + uri + "' does not exist");
        }
        String name = path.getFileName().toString();
        return single(
            uri, new SourceFile(name, Files.size(path), () -> Files.newInputStream(path)));
      }
      return Files.isRegularFile(path.resolve(TRAIN))
          ? ofListing(uri, new LocalFolderSource(path).files())
          : null;
    }
    String parent = csv ? uri.substring(0, uri.lastIndexOf('/') + 1) : uri;
    List<SourceFile> listing = listing(parent, store);
    if (!csv) {
      return ofListing(uri, listing);
    }
    String name = uri.substring(uri.lastIndexOf('/') + 1);
    return listing.stream()
        .filter(f -> f.path().equals(name))
        .findFirst()
        .map(f -> single(uri, f))
        .orElseThrow(() -> new BadInputException("table file '" + uri + "' does not exist"));
  }

  private static List<SourceFile> listing(String prefixUri, ObjectStore store) throws IOException {
    if (store instanceof S3ObjectStore) {
      try {
        return S3PrefixSource.parse(S3ObjectStore.clientOf(store), prefixUri).files();
      } catch (BadInputException e) {
        return List.of();
      }
    }
    String rest = prefixUri.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (!bucket.equals(store.bucket())) {
      throw new BadInputException("--data " + prefixUri + ": there is no bucket '" + bucket + "'");
    }
    String folder = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    List<SourceFile> files = new ArrayList<>();
    for (String key : store.list(folder)) {
      files.add(
          new SourceFile(
              key.substring(folder.length()), -1, () -> new ByteArrayInputStream(store.get(key))));
    }
    return files;
  }
}
