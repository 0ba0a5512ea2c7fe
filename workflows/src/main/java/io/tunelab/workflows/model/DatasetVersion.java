package io.tunelab.workflows.model;

/**
 * A complete version of a dataset in the bucket: the prefix {@code datasets/NAME/<name>/} holds a
 * {@code _READY} object.
 *
 * @param name the version's folder name (any name a writer chose)
 * @param contentHash hex SHA-256 over the sorted lines {@code <relative path> TAB <SHA-256 of the
 *     file>} of every object in the version except {@code _READY}
 */
public record DatasetVersion(String name, String contentHash) {
  public DatasetVersion {
    if (!DatasetNames.validVersion(name)) {
      throw new IllegalArgumentException("not a version folder name: " + name);
    }
    if (contentHash == null || !contentHash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("content hash must be 64 hex digits: " + contentHash);
    }
  }

  /** The first 12 hex digits of the content hash, as used in run ids. */
  public String shortHash() {
    return contentHash.substring(0, 12);
  }
}
