package io.tunelab.workflows.model;

/**
 * Loss and accuracy of a checkpoint on a split, with the key of its per-image predictions.
 *
 * @param loss mean cross-entropy
 * @param acc accuracy in [0, 1]
 * @param predictionsKey key of the stored predictions, used for paired comparisons
 */
public record TestMetrics(double loss, double acc, String predictionsKey) {}
