package io.tunelab.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The bucket tunelab keeps everything in: keys are plain strings ({@link Keys} names them), values
 * are bytes. {@link S3ObjectStore} is the store of a real run (embedded S3Proxy, MinIO or any S3
 * endpoint); a missing key is an {@link ObjectNotFoundException}, any other failure a {@link
 * StoreException}.
 */
public interface ObjectStore {

  /** The S3 store at the configured endpoint and bucket; it connects lazily. */
  static ObjectStore connect(StoreConfig config) {
    return new S3ObjectStore(config);
  }

  /** The name of the bucket. */
  String bucket();

  /** Where the store is, for messages. */
  String endpoint();

  /** Fails with a {@link StoreException} unless the endpoint answers and the bucket exists. */
  void check();

  /** Creates the bucket when it does not exist yet. */
  void ensureBucket();

  /**
   * Writes an object of type {@code application/octet-stream}, as {@link #put(String, byte[],
   * String)}.
   */
  default void put(String key, byte[] bytes) {
    put(key, bytes, "application/octet-stream");
  }

  /**
   * Writes an object whole, and returns once the store holds all of it; a reader never sees a
   * partly written object under the key.
   */
  void put(String key, byte[] bytes, String contentType);

  /** Reads a whole object; {@link ObjectNotFoundException} when it is missing. */
  byte[] get(String key);

  /** Whether an object exists. */
  boolean exists(String key);

  /** Keys under a prefix, recursively, in lexical order. */
  List<String> list(String prefix);

  /**
   * The folders directly under a prefix (S3 common prefixes with delimiter '/'), each without the
   * prefix and without its trailing '/', in lexical order. Nothing below them is listed.
   */
  List<String> listFolders(String prefix);

  /**
   * The entity tag of an object as the store reports it now (it changes whenever the bytes do), or
   * {@code null} when the object does not exist.
   */
  String etag(String key);

  /** When an object was last written, or empty when it does not exist. */
  Optional<Instant> lastModified(String key);

  /** Keys under a prefix, recursively, with their sizes, in lexical order of the keys. */
  SortedMap<String, Long> listSizes(String prefix);

  /** Removes an object; a missing one is not an error. */
  void delete(String key);
}
