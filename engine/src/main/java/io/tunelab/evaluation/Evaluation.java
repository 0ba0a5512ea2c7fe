package io.tunelab.evaluation;

/**
 * A model's predictions on a split, in inference mode (no augmentation, no dropout).
 *
 * @param loss mean softmax cross-entropy per image
 * @param acc fraction of images whose top class is the label
 * @param predicted the top class of each image, in split order
 * @param confidence the softmax probability of the top class of each image
 * @param exampleLoss the cross-entropy of each image
 */
public record Evaluation(
    double loss, double acc, int[] predicted, float[] confidence, float[] exampleLoss) {}
