package io.tunelab.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An object store in memory for unit tests, with the semantics of {@link S3ObjectStore}: a missing
 * key is an {@link ObjectNotFoundException}, listings are by prefix and in lexical order, folders
 * are the common prefixes before the next '/', the ETag is the hex MD5 of the bytes (as S3 gives
 * for an object written in one put) and the last-modified time has whole seconds (as S3 reports
 * it). Bytes are copied in and out. Safe for concurrent use.
 */
public final class InMemoryObjectStore implements ObjectStore {
  private record StoredObject(byte[] bytes, String contentType, String etag, Instant modified) {}

  private final String bucket;
  private final Clock clock;
  private final ConcurrentSkipListMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();

  /** An empty store of bucket {@code tunelab}. */
  public InMemoryObjectStore() {
    this("tunelab", Clock.systemUTC());
  }

  /** An empty store of a bucket whose objects are stamped with the clock's time. */
  public InMemoryObjectStore(String bucket, Clock clock) {
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public String endpoint() {
    return "memory://" + bucket;
  }

  /** The bucket always exists. */
  @Override
  public void check() {}

  @Override
  public void ensureBucket() {}

  @Override
  public void put(String key, byte[] bytes, String contentType) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(contentType, "contentType");
    byte[] copy = bytes.clone();
    objects.put(
        key,
        new StoredObject(
            copy, contentType, md5Hex(copy), clock.instant().truncatedTo(ChronoUnit.SECONDS)));
  }

  @Override
  public byte[] get(String key) {
    return stored(key).bytes().clone();
  }

  @Override
  public boolean exists(String key) {
    return objects.containsKey(key);
  }

  @Override
  public List<String> list(String prefix) {
    return new ArrayList<>(under(prefix).keySet());
  }

  @Override
  public List<String> listFolders(String prefix) {
    TreeSet<String> folders = new TreeSet<>();
    for (String key : under(prefix).keySet()) {
      int slash = key.indexOf('/', prefix.length());
      if (slash > prefix.length()) {
        folders.add(key.substring(prefix.length(), slash));
      }
    }
    return new ArrayList<>(folders);
  }

  @Override
  public String etag(String key) {
    StoredObject object = objects.get(key);
    return object == null ? null : object.etag();
  }

  @Override
  public Optional<Instant> lastModified(String key) {
    return Optional.ofNullable(objects.get(key)).map(StoredObject::modified);
  }

  @Override
  public SortedMap<String, Long> listSizes(String prefix) {
    SortedMap<String, Long> sizes = new TreeMap<>();
    for (Map.Entry<String, StoredObject> e : under(prefix).entrySet()) {
      sizes.put(e.getKey(), (long) e.getValue().bytes().length);
    }
    return sizes;
  }

  @Override
  public void delete(String key) {
    objects.remove(key);
  }

  /** The content type an object was written with; {@link ObjectNotFoundException} when missing. */
  public String contentType(String key) {
    return stored(key).contentType();
  }

  @Override
  public String toString() {
    return "InMemoryObjectStore[bucket " + bucket + ", " + objects.size() + " objects]";
  }

  private StoredObject stored(String key) {
    StoredObject object = objects.get(key);
    if (object == null) {
      throw new ObjectNotFoundException(bucket, key);
    }
    return object;
  }

  /** The objects whose keys start with the prefix, in key order, as they are now. */
  private SortedMap<String, StoredObject> under(String prefix) {
    SortedMap<String, StoredObject> under = new TreeMap<>();
    for (Map.Entry<String, StoredObject> e : objects.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      under.put(e.getKey(), e.getValue());
    }
    return under;
  }

  private static String md5Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks MD5", e);
    }
  }
}
