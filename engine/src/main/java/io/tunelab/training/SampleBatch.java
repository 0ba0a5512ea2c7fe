package io.tunelab.training;

import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.SampleShape;

/**
 * A batch to feed a network: the samples {@code order[from..to)} of a split ({@code order} may be
 * {@code null} for the split's own order), how the network takes them, and how they are augmented.
 *
 * @param input the network's input shape (may be larger than the split's)
 * @param normalization the network's per-channel normalisation
 * @param augmenter applied to each sample with a {@link java.util.Random} seeded from (seed, epoch,
 *     sample index), or {@code null} for none
 */
record SampleBatch(
    LabeledImages split,
    int[] order,
    int from,
    int to,
    SampleShape input,
    Inputs.Normalization normalization,
    Augmenter augmenter,
    long seed,
    int epoch) {}
