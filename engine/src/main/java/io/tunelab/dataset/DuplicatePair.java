package io.tunelab.dataset;

/**
 * Two ingested images that are identical (the same SHA-256 of their bytes) or nearly identical
 * (different bytes, but a small Hamming distance between their 64-bit perceptual hashes). The
 * {@link DatasetProfile} keeps the two kinds in separate lists.
 *
 * @param first path of the image in the earlier split (train before val before test), or the
 *     earlier path when both are in the same split
 * @param firstSplit split of {@code first}
 * @param second path of the other image
 * @param secondSplit split of {@code second}
 * @param distance Hamming distance between the perceptual hashes (always 0 for exact duplicates; 0
 *     to 4 for near-duplicates)
 */
public record DuplicatePair(
    String first, String firstSplit, String second, String secondSplit, int distance) {}
