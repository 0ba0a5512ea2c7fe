package io.tunelab.dataset;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A place images are read from: a local folder, or a prefix in a bucket. A source lists every entry
 * it holds, good or bad, hidden or not, so that the {@link Ingestor} can reject the bad ones with a
 * reason instead of never seeing them.
 */
public interface ImageSource {
  /**
   * Lists every file (and every folder, as a marker ending in {@code '/'}) under the source, sorted
   * by path.
   *
   * @throws BadInputException when the source itself does not exist or is not a folder
   * @throws IOException when the listing fails for another reason
   */
  List<SourceFile> files() throws IOException;

  /**
   * An id of everything the listed entries' bytes are made from, when the source has one that is
   * cheaper than reading them (a source that generates its images from a few files hashes those),
   * or {@code null}. Two listings with the same paths and snapshot hold the same bytes.
   *
   * @throws IOException when what the id is made from cannot be read
   */
  default String snapshot() throws IOException {
    return null;
  }

  /**
   * Other names its classes answer to in {@code --classes}, each mapped to the class's name: an idx
   * folder's label numbers ({@code "0"} for Fashion-MNIST's {@code T-shirt_top}). Known once {@link
   * #files()} has listed the source; empty by default.
   */
  default Map<String, String> classAliases() {
    return Map.of();
  }

  /** A short human-readable name of the source, used in messages. */
  default String describe() {
    return toString();
  }
}
