package io.tunelab.workflows.model;

/**
 * The champion of a registered model, as stored in {@code models/MODEL/champion.json}.
 *
 * @param model registry name
 * @param version the model version that is champion
 * @param runId the run that produced it
 * @param testAcc its test accuracy when it was promoted
 * @param datasetName the dataset it was promoted on
 * @param datasetVersion the dataset version it was promoted on
 * @param promotedAt ISO-8601 instant
 */
public record Champion(
    String model,
    int version,
    String runId,
    double testAcc,
    String datasetName,
    String datasetVersion,
    String promotedAt) {}
