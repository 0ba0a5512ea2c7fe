package io.tunelab.dataset;

import io.tunelab.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps recently used shards decoded in memory. Shards are immutable (their keys carry the ingest's
 * content hash), so a cached shard never goes stale.
 */
public final class ShardCache {
  private final ObjectStore store;
  private final Map<String, LabeledImages> cache;

  public ShardCache(ObjectStore store, int capacity) {
    this.store = store;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, LabeledImages> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * Remembers a shard the caller has just stored at {@code key} (the ingest, in the same worker),
   * so that no training activity here reads it back.
   */
  public void put(String key, LabeledImages images) {
    synchronized (cache) {
      cache.put(key, images);
    }
  }

  /** Whether the shard at {@code key} is in memory now (without reading it on a miss). */
  public boolean holds(String key) {
    synchronized (cache) {
      return cache.containsKey(key);
    }
  }

  /**
   * What {@code reader} makes of the bucket, remembered under {@code key}: for samples that are not
   * stored in the image shard format (a table's standardised rows).
   */
  public LabeledImages get(String key, Supplier<LabeledImages> reader) {
    synchronized (cache) {
      LabeledImages hit = cache.get(key);
      if (hit != null) {
        return hit;
      }
    }
    LabeledImages samples = reader.get();
    synchronized (cache) {
      cache.put(key, samples);
    }
    return samples;
  }

  /** The decoded shard at a key, read from the bucket on a miss. */
  public LabeledImages get(String key) {
    synchronized (cache) {
      LabeledImages hit = cache.get(key);
      if (hit != null) {
        return hit;
      }
    }
    LabeledImages images;
    try {
      images = ShardCodec.decode(store.get(key));
    } catch (IOException e) {
      throw new UncheckedIOException("shard " + key + " is unreadable: " + e.getMessage(), e);
    }
    synchronized (cache) {
      cache.put(key, images);
    }
    return images;
  }
}
