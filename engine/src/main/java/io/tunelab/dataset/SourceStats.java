package io.tunelab.dataset;

/**
 * Pixel statistics of the data a pretrained model learned from, kept in the registry, to compare
 * with the target data for domain shift. Values on the 0–255 scale.
 *
 * @param mean mean pixel value
 * @param std pixel standard deviation
 * @param histogram 16-bin pixel histogram (counts)
 */
public record SourceStats(double mean, double std, long[] histogram) {}
