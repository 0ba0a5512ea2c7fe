package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The result of an ingest: the images of each split, ready to be stored as shards, and the manifest
 * and profile that describe them. The manifest's JSON and the profile (pixel statistics, duplicate
 * search) are computed when first asked for: a worker that finds this content id already stored
 * reuses the stored ones (the id covers every file and option, so they would come out the same) and
 * never pays for them.
 */
public final class IngestOutcome {
  private final String contentId;
  private final List<String> classes;
  private final Map<String, LabeledImages> splits;
  private final SampleShape shape;
  private final Supplier<byte[]> manifestJson;
  private final Supplier<DatasetProfile> profile;

  /**
   * Creates an outcome.
   *
   * @param contentId hex SHA-256 naming this ingest; the same files (paths and bytes, and the
   *     reasons of rejected ones) with the same options give the same id
   * @param classes class names in label order (sorted)
   * @param splits {@code train}, {@code val} and {@code test} to their images (always all three; a
   *     split may be empty)
   * @param shape the shape images were stored in
   * @param manifestJson makes the manifest as JSON bytes (called at most once)
   * @param profile makes the dataset profile (called at most once)
   */
  public IngestOutcome(
      String contentId,
      List<String> classes,
      Map<String, LabeledImages> splits,
      SampleShape shape,
      Supplier<byte[]> manifestJson,
      Supplier<DatasetProfile> profile) {
    this.contentId = Objects.requireNonNull(contentId, "contentId");
    this.classes = List.copyOf(classes);
    this.splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    this.shape = Objects.requireNonNull(shape, "shape");
    this.manifestJson = memoized(manifestJson);
    this.profile = memoized(profile);
  }

  /** Hex SHA-256 naming this ingest. */
  public String contentId() {
    return contentId;
  }

  /** Class names in label order (sorted). */
  public List<String> classes() {
    return classes;
  }

  /** {@code train}, {@code val} and {@code test} to their images. */
  public Map<String, LabeledImages> splits() {
    return splits;
  }

  /** The manifest as JSON bytes. */
  public byte[] manifestJson() {
    return manifestJson.get();
  }

  /** The dataset profile. */
  public DatasetProfile profile() {
    return profile.get();
  }

  /** The images of one split. */
  public LabeledImages split(String name) {
    LabeledImages images = splits.get(name);
    if (images == null) {
      throw new IllegalArgumentException("no split '" + name + "'; splits are train, val, test");
    }
    return images;
  }

  /** The shape images were stored in. */
  public SampleShape shape() {
    return shape;
  }

  /** Split name to class name to image count. */
  public Map<String, Map<String, Integer>> counts() {
    return profile().counts();
  }

  /** Files that were not ingested, with the reason. */
  public List<RejectedFile> rejected() {
    return profile().rejected();
  }

  private static <T> Supplier<T> memoized(Supplier<T> make) {
    Objects.requireNonNull(make, "supplier");
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = make.get();
        }
        return value;
      }
    };
  }
}
