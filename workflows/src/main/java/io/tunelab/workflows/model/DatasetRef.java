package io.tunelab.workflows.model;

import java.util.List;
import java.util.Map;

/**
 * An ingested dataset as stored in the bucket: object keys of its manifest, profile and shards,
 * plus the small summary a workflow needs to decide things. No image data.
 *
 * @param ingestId content hash of the ingest (names its prefix in the bucket)
 * @param manifestKey key of the manifest (every image: key, hash, class, split)
 * @param profileKey key of the dataset profile (counts, rejected files, duplicates)
 * @param shardKeys split name to the key of its packed shard
 * @param classes class names in label order
 * @param shape the shape of one sample in the shards
 * @param counts split name to class name to image count
 * @param rejectedCount number of files rejected
 * @param duplicatesAcrossSplits identical images found in more than one split
 * @param augmentedSamplesKey key of a PNG grid of training images and their augmented variants with
 *     the run's policy and seed, or {@code null}
 */
public record DatasetRef(
    String ingestId,
    String manifestKey,
    String profileKey,
    Map<String, String> shardKeys,
    List<String> classes,
    SampleShape shape,
    Map<String, Map<String, Integer>> counts,
    int rejectedCount,
    int duplicatesAcrossSplits,
    String augmentedSamplesKey) {

  public DatasetRef {
    if (ingestId == null || ingestId.isBlank()) {
      throw new IllegalArgumentException("ingest id must not be empty");
    }
    shardKeys = Map.copyOf(shardKeys);
    for (String split : List.of("train", "val", "test")) {
      if (!shardKeys.containsKey(split)) {
        throw new IllegalArgumentException("missing shard for split " + split);
      }
    }
    classes = List.copyOf(classes);
    if (classes.size() < 2) {
      throw new IllegalArgumentException("need at least two classes: " + classes);
    }
    counts = Map.copyOf(counts);
  }

  /** The same reference with the key of its preview of augmented images. */
  public DatasetRef withAugmentedSamples(String key) {
    return new DatasetRef(
        ingestId,
        manifestKey,
        profileKey,
        shardKeys,
        classes,
        shape,
        counts,
        rejectedCount,
        duplicatesAcrossSplits,
        key);
  }

  /** The number of images in a split. */
  public int size(String split) {
    Map<String, Integer> perClass = counts.get(split);
    return perClass == null ? 0 : perClass.values().stream().mapToInt(Integer::intValue).sum();
  }
}
