package io.tunelab.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.DatasetNames;
import io.tunelab.workflows.model.DatasetVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Versions of a dataset in the bucket. A version is the folder {@code datasets/NAME/<version>/}
 * laid out like a local source folder (any version name, written by {@code data push} or by any S3
 * client) and is complete once the object {@code _READY} exists in it.
 *
 * <p>A version's <em>content hash</em> is the hex SHA-256 over one line per object in the version
 * except {@code _READY} and folder markers, sorted by path: {@code <path relative to the version>
 * TAB <hex SHA-256 of the object's bytes> LF}. So two versions holding the same files under the
 * same relative paths have the same hash, whatever their names. {@code data push} stores the hash
 * in the {@code _READY} it writes ({@link ReadyMarker}); for a version written by another client it
 * is computed from the objects.
 */
public final class DatasetVersions {
  /** The format tag of a {@code _READY} written by {@code data push}. */
  public static final String FORMAT = "tunelab-dataset/1";

  /**
   * The content of a {@code _READY} object written by {@code data push}.
   *
   * @param format always {@link #FORMAT}
   * @param dataset the dataset name
   * @param version the version name
   * @param contentHash the version's content hash
   * @param files number of files in the version
   * @param pushedAt ISO-8601 instant
   */
  public record ReadyMarker(
      String format,
      String dataset,
      String version,
      String contentHash,
      int files,
      String pushedAt) {}

  private final ObjectStore store;

  public DatasetVersions(ObjectStore store) {
    this.store = store;
  }

  /** The content hash of files given as relative path to hex SHA-256 of their bytes. */
  public static String contentHash(Map<String, String> sha256ByPath) {
    MessageDigest digest = sha256();
    for (Map.Entry<String, String> e : new TreeMap<>(sha256ByPath).entrySet()) {
      digest.update((e.getKey() + "\t" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Hex SHA-256 of bytes. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Every version folder of a dataset, complete or not, by name. */
  public List<String> folders(String dataset) {
    DatasetNames.requireValid(dataset);
    return store.listFolders(Keys.datasetPrefix(dataset)).stream()
        .filter(DatasetNames::validVersion)
        .toList();
  }

  /**
   * The complete versions of a dataset among {@code candidates} (folder names), in the order their
   * {@code _READY} objects were written (then by name).
   */
  public List<String> complete(String dataset, List<String> candidates) {
    record Ready(String name, Instant at) {}
    List<Ready> ready = new ArrayList<>();
    for (String name : candidates) {
      store
          .lastModified(Keys.datasetReady(dataset, name))
          .ifPresent(at -> ready.add(new Ready(name, at)));
    }
    ready.sort(Comparator.comparing(Ready::at).thenComparing(Ready::name));
    return ready.stream().map(Ready::name).toList();
  }

  /** The complete versions of a dataset, in the order they were completed. */
  public List<String> complete(String dataset) {
    return complete(dataset, folders(dataset));
  }

  /** The marker {@code data push} wrote into a complete version, if that is what is there. */
  public Optional<ReadyMarker> marker(String dataset, String version) {
    try {
      byte[] bytes = store.get(Keys.datasetReady(dataset, version));
      if (bytes.length == 0 || bytes[0] != '{') {
        return Optional.empty();
      }
      JsonNode tree = Json.tree(bytes);
      if (!FORMAT.equals(tree.path("format").asText())
          || !tree.path("contentHash").asText().matches("[0-9a-f]{64}")) {
        return Optional.empty();
      }
      return Optional.of(Json.read(bytes, ReadyMarker.class));
    } catch (ObjectNotFoundException | java.io.UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /**
   * The files of a version (every object but {@code _READY} and folder markers) as relative path to
   * size.
   */
  public SortedMap<String, Long> files(String dataset, String version) {
    String prefix = Keys.datasetVersion(dataset, version);
    SortedMap<String, Long> files = new TreeMap<>();
    store
        .listSizes(prefix)
        .forEach(
            (key, size) -> {
              String relative = key.substring(prefix.length());
              if (!relative.isEmpty() && !relative.endsWith("/") && !relative.equals(Keys.READY)) {
                files.put(relative, size);
              }
            });
    return files;
  }

  /** Hashes every file of a version, reading it from the bucket. */
  public String computeContentHash(String dataset, String version) {
    String prefix = Keys.datasetVersion(dataset, version);
    SortedMap<String, String> hashes = new TreeMap<>();
    for (String path : files(dataset, version).keySet()) {
      hashes.put(path, sha256(store.get(prefix + path)));
    }
    return contentHash(hashes);
  }

  /**
   * A complete version with its content hash: the one in its {@code data push} marker, or computed
   * from its objects when another client wrote it.
   */
  public DatasetVersion describe(String dataset, String version) {
    String hash =
        marker(dataset, version)
            .map(ReadyMarker::contentHash)
            .orElseGet(() -> computeContentHash(dataset, version));
    return new DatasetVersion(version, hash);
  }

  /**
   * A complete version holding exactly the given files, if there is one. Only versions whose file
   * names and sizes match are hashed, so looking costs a listing per version.
   *
   * @param hash the content hash of the files
   * @param sizes relative path to size of the files
   */
  public Optional<String> findSameContent(
      String dataset, String hash, SortedMap<String, Long> sizes) {
    for (String version : complete(dataset)) {
      Optional<ReadyMarker> marker = marker(dataset, version);
      if (marker.isPresent()) {
        if (marker.get().contentHash().equals(hash)) {
          return Optional.of(version);
        }
        continue;
      }
      if (files(dataset, version).equals(sizes)
          && computeContentHash(dataset, version).equals(hash)) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }
}
