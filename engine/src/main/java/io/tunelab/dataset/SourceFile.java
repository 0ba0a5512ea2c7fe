package io.tunelab.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * One entry listed by an {@link ImageSource}: its path relative to the source root, its size, and a
 * way to read its bytes. A path that ends in {@code '/'} marks a folder (an empty folder on disk,
 * or a folder marker object in a bucket); folders are listed so that an empty class folder can be
 * reported rather than silently missed.
 *
 * @param path relative path with {@code '/'} separators, never starting with {@code '/'}
 * @param size size in bytes, or {@code -1} when unknown
 * @param opener opens the entry's bytes; each call returns a new stream
 * @param version what the source vouches identifies these very bytes (an object's ETag), or {@code
 *     null} when only reading them tells
 */
public record SourceFile(String path, long size, Opener opener, String version) {

  /** An entry whose bytes only reading them identifies. */
  public SourceFile(String path, long size, Opener opener) {
    this(path, size, opener, null);
  }

  /** Opens a new stream over an entry's bytes. */
  @FunctionalInterface
  public interface Opener {
    /**
     * Returns a new stream positioned at the first byte.
     *
     * @throws IOException when the entry cannot be read (missing, no permission, network)
     */
    InputStream open() throws IOException;
  }

  /** Checks that the path is relative, uses {@code '/'} and is not empty. */
  public SourceFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(opener, "opener");
    if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
      throw new IllegalArgumentException("path must be relative with '/' separators: " + path);
    }
  }

  /** Creates a folder marker for a relative folder path (a trailing '/' is added if missing). */
  public static SourceFile folder(String path) {
    String p = path.endsWith("/") ? path : path + "/";
    return new SourceFile(p, 0, InputStream::nullInputStream);
  }

  /** Whether this entry marks a folder rather than a file. */
  public boolean isFolder() {
    return path.endsWith("/");
  }

  /** Opens a new stream over the entry's bytes. */
  public InputStream open() throws IOException {
    return opener.open();
  }

  /** The last path segment: the file name (or folder name) without its parents. */
  public String name() {
    String p = isFolder() ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }
}
