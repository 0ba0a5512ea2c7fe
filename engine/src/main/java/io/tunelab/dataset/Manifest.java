package io.tunelab.dataset;

import io.tunelab.storage.Json;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Every image of an ingest: where it came from, its content hash, its class and its split, stored
 * as {@code manifest.json}. Entries are ordered by split (train, val, test) and then by their index
 * in the split's shard, which is ordered by label, content hash and path; so the same input and
 * options give byte-identical JSON.
 *
 * @param contentId the ingest's content id
 * @param classes class names in label order
 * @param shape the shape of the stored images
 * @param images one entry per stored image
 */
public record Manifest(
    String contentId, List<String> classes, SampleShape shape, List<ManifestEntry> images) {

  /** The manifest as pretty-printed JSON bytes. */
  public byte[] toJson() {
    return Json.bytesInMapOrder(this);
  }

  /**
   * Reads a manifest written by {@link #toJson()}.
   *
   * @throws IOException when the bytes are not such a manifest
   */
  public static Manifest fromJson(byte[] json) throws IOException {
    try {
      return Json.read(json, Manifest.class);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
