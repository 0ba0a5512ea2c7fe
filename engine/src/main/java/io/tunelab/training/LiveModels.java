package io.tunelab.training;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The models a worker's last epochs left alive, each filed under the key of the checkpoint it
 * equals and that checkpoint's entity tag as stored. An epoch that starts from one of those
 * checkpoints takes the model instead of reading, decoding and loading the checkpoint, but only
 * while the bucket still holds the very object it was filed with (same tag): a checkpoint rewritten
 * or damaged since is read from the bucket as usual. The least recently filed model beyond the
 * capacity is closed.
 */
public final class LiveModels {
  /** Two arms (fine-tune and baseline) alternate their epochs on one worker. */
  public static final int DEFAULT_CAPACITY = 2;

  private record Entry(String etag, LiveModel model) {}

  private final int capacity;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** Keeps at most {@code capacity} models; 0 keeps none (every epoch reads its checkpoint). */
  public LiveModels(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("live models must be >= 0: " + capacity);
    }
    this.capacity = capacity;
  }

  /** Whether models are kept at all. */
  public boolean enabled() {
    return capacity > 0;
  }

  /**
   * Files a model under the checkpoint it equals, as stored with entity tag {@code etag}; a model
   * that cannot be filed (capacity 0, no tag) is closed.
   */
  public void put(String checkpointKey, String etag, LiveModel model) {
    Objects.requireNonNull(checkpointKey, "checkpointKey");
    List<LiveModel> closing = new ArrayList<>();
    synchronized (entries) {
      if (capacity == 0 || etag == null) {
        closing.add(model);
      } else {
        Entry old = entries.remove(checkpointKey);
        if (old != null) {
          closing.add(old.model());
        }
        entries.put(checkpointKey, new Entry(etag, model));
        Iterator<Entry> eldest = entries.values().iterator();
        while (entries.size() > capacity) {
          closing.add(eldest.next().model());
          eldest.remove();
        }
      }
    }
    closing.forEach(LiveModel::close);
  }

  /** Whether a model is filed under {@code checkpointKey}. */
  public boolean holds(String checkpointKey) {
    synchronized (entries) {
      return entries.containsKey(checkpointKey);
    }
  }

  /**
   * Takes the model filed under a checkpoint key out of the cache, if the bucket's entity tag for
   * that key ({@code currentEtag}, asked only when a model is filed there) is still the one it was
   * filed with; otherwise closes it. The caller owns what it gets.
   *
   * @return the model, or {@code null}
   */
  public LiveModel take(String checkpointKey, Function<String, String> currentEtag) {
    if (checkpointKey == null) {
      return null;
    }
    Entry entry;
    synchronized (entries) {
      entry = entries.remove(checkpointKey);
    }
    if (entry == null) {
      return null;
    }
    String now;
    try {
      now = currentEtag.apply(checkpointKey);
    } catch (RuntimeException e) {
      entry.model().close();
      throw e;
    }
    if (!entry.etag().equals(now)) {
      entry.model().close();
      return null;
    }
    return entry.model();
  }

  /** Closes the models filed under keys that start with {@code prefix} (an arm's, a run's). */
  public void drop(String prefix) {
    List<LiveModel> closing = new ArrayList<>();
    synchronized (entries) {
      Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, Entry> e = it.next();
        if (e.getKey().startsWith(prefix)) {
          closing.add(e.getValue().model());
          it.remove();
        }
      }
    }
    closing.forEach(LiveModel::close);
  }

  /** How many models are filed now. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
