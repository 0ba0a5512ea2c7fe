package io.tunelab.workflows.model;

/**
 * A watched run's fine-tuned model challenges the champion of a registered model on the run's test
 * split.
 *
 * @param model registry name whose champion is challenged
 * @param runId the challenger's run
 * @param datasetName the dataset the run trained on
 * @param datasetVersion its version
 * @param dataset the ingested version (its test shard is where both are evaluated)
 * @param architecture the challenger's architecture
 * @param checkpointKey the challenger's best checkpoint
 * @param challenger the challenger's test metrics, with the key of its per-image predictions
 * @param device where to evaluate the champion
 */
public record ChallengeRequest(
    String model,
    String runId,
    String datasetName,
    String datasetVersion,
    DatasetRef dataset,
    String architecture,
    String checkpointKey,
    TestMetrics challenger,
    Device device) {
  public ChallengeRequest {
    ModelNames.requireValid(model);
    RunIds.requireValid(runId);
    if (dataset == null || checkpointKey == null || challenger == null) {
      throw new IllegalArgumentException("dataset, checkpoint and test metrics must not be null");
    }
  }
}
