package io.tunelab.dataset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * The name of an ingest: hex SHA-256 over the ingest format version, the layout, the options (class
 * selection, per-class cap, seed, shape, channel detection) and one line per considered file,
 * sorted: path, content hash, class and source split for an accepted file; path and reason for a
 * rejected one. Re-ingesting unchanged files with the same options gives the same id, so the stored
 * manifest, profile and shards can be reused; renaming, adding, changing or removing a file gives a
 * new one.
 */
final class ContentId {
  private ContentId() {}

  /** The line of an accepted file; {@code split} is {@code null} for a class-folder source. */
  static String accepted(String path, String sha256, String className, String split) {
    return path + "\t" + sha256 + "\t" + className + "\t" + (split == null ? "" : split);
  }

  /** The line of a rejected file. */
  static String rejected(String path, String reason) {
    return path + "\trejected\t" + reason;
  }

  /** Computes the id from the format, layout, options and file lines (in any order). */
  static String of(String format, String layout, IngestOptions options, List<String> files) {
    List<String> lines = new ArrayList<>(files);
    lines.sort(null);
    String header =
        format
            + "\n"
            + "layout="
            + layout
            + "\n"
            + "classes="
            + String.join(",", new TreeSet<>(options.classes()))
            + "\n"
            + "perClass="
            + options.perClass()
            + "\n"
            + "seed="
            + options.seed()
            + "\n"
            + "shape="
            + options.shape()
            + "\n"
            + "detectChannels="
            + options.detectChannels()
            + "\n";
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(header.getBytes(StandardCharsets.UTF_8));
      for (String line : lines) {
        digest.update(line.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
