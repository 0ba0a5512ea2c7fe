package io.tunelab.training;

/**
 * What a model predicts for every image of a split, in inference mode.
 *
 * @param loss mean softmax cross-entropy per image
 * @param acc fraction of images whose top class is the label
 * @param predicted the top class of each image
 * @param confidence the softmax probability of the top class of each image
 * @param exampleLoss the cross-entropy of each image
 */
public record Predictions(double loss, double acc, int[] predicted, float[] confidence,
    float[] exampleLoss) {}
