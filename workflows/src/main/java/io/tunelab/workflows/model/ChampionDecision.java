package io.tunelab.workflows.model;

/**
 * The outcome of a challenge, as stored in {@code models/MODEL/decisions/<run>.json}.
 *
 * @param model registry name
 * @param runId the challenger's run
 * @param datasetName dataset of the run
 * @param datasetVersion version of the dataset
 * @param promoted whether the challenger became the champion
 * @param reason why, in words
 * @param testImages images of the version's test split both were evaluated on
 * @param challengerAcc the challenger's test accuracy
 * @param championAcc the champion's accuracy on the same images, or {@code null} when it was not
 *     evaluated (no champion, or one that cannot classify this data)
 * @param pValue two-sided exact McNemar p-value of the paired predictions, or {@code null}
 * @param challengerOnlyCorrect images only the challenger classified correctly
 * @param championOnlyCorrect images only the champion classified correctly
 * @param previousChampionVersion the champion's model version before, or {@code null}
 * @param championVersion the champion's model version after
 * @param decidedAt ISO-8601 instant
 */
public record ChampionDecision(
    String model,
    String runId,
    String datasetName,
    String datasetVersion,
    boolean promoted,
    String reason,
    int testImages,
    double challengerAcc,
    Double championAcc,
    Double pValue,
    int challengerOnlyCorrect,
    int championOnlyCorrect,
    Integer previousChampionVersion,
    int championVersion,
    String decidedAt) {}
