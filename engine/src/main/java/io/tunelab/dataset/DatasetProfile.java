package io.tunelab.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tunelab.storage.Json;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * What an ingest found out about a dataset, stored as {@code profile.json} next to the manifest:
 * sizes, balance, pixel statistics, rejected files and duplicates. Maps are ordered (splits train,
 * val, test; classes in label order; image sizes by name), so the JSON is the same for the same
 * input.
 *
 * @param layout {@code class-folders} (the tool split the data) or {@code splits} (the user did)
 * @param testCarvedFromTrain whether the test split was taken out of the user's train split
 * @param classes class names in label order
 * @param shape the shape images were stored in
 * @param counts split name to class name to image count
 * @param cappedOut class name to the number of training images left out by the per-class cap
 * @param imbalanceRatio largest over smallest training class count
 * @param pixels split name to pixel statistics
 * @param imageSizes original {@code WIDTHxHEIGHT} to the number of split images of that size
 * @param greyImages split images that were grey
 * @param colourImages split images that were in colour
 * @param rejected every rejected file with its reason, sorted by path
 * @param duplicatesAcrossSplits val and test images whose exact content (the decoded pixels) also
 *     appears in an earlier split (train before val before test); each leaked copy counts once
 * @param duplicatesWithinSplits images whose exact content appears earlier (by path) in the same
 *     split
 * @param duplicatePairs exact duplicate pairs, across and within splits (at most 1000)
 * @param nearDuplicatesAcrossSplits pairs of images in different splits with different bytes but
 *     perceptual hashes at most 4 bits apart
 * @param nearDuplicatePairs those pairs (at most 1000)
 * @param table a table's columns, encoding and per-feature statistics; {@code null} for images
 * @param clips how videos were cut into stacks and the videos per split and class; {@code null}
 *     (and absent from the JSON) for images and tables. For clips, {@code counts} and the pixel
 *     statistics count stacks, the sizes, colours and duplicates count videos.
 */
public record DatasetProfile(
    String layout,
    boolean testCarvedFromTrain,
    List<String> classes,
    SampleShape shape,
    Map<String, Map<String, Integer>> counts,
    Map<String, Integer> cappedOut,
    double imbalanceRatio,
    Map<String, PixelStats> pixels,
    Map<String, Integer> imageSizes,
    int greyImages,
    int colourImages,
    List<RejectedFile> rejected,
    int duplicatesAcrossSplits,
    int duplicatesWithinSplits,
    List<DuplicatePair> duplicatePairs,
    int nearDuplicatesAcrossSplits,
    List<DuplicatePair> nearDuplicatePairs,
    TableStats table,
    @JsonInclude(JsonInclude.Include.NON_NULL) ClipStats clips) {

  /** The number of images in a split. */
  public int size(String split) {
    Map<String, Integer> perClass = counts.get(split);
    return perClass == null ? 0 : perClass.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The profile as pretty-printed JSON bytes. */
  public byte[] toJson() {
    return Json.bytesInMapOrder(this);
  }

  /**
   * Reads a profile written by {@link #toJson()}.
   *
   * @throws IOException when the bytes are not such a profile
   */
  public static DatasetProfile fromJson(byte[] json) throws IOException {
    try {
      return Json.read(json, DatasetProfile.class);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
