package io.tunelab.workflows.model;

/**
 * Run the diagnosis probes of an experiment: out-of-sample predictions for label noise, a linear
 * probe for domain shift, the source-task accuracy after fine-tuning for forgetting.
 *
 * @param finetune the fine-tune arm (its hyper-parameters and pretrained start)
 * @param dataset the ingested dataset
 * @param pretrained the pretrained model
 * @param fineTunedCheckpointKey the fine-tune arm's best checkpoint
 */
public record ProbeTask(
    ArmSpec finetune, DatasetRef dataset, ModelInfo pretrained, String fineTunedCheckpointKey) {
  public ProbeTask {
    if (finetune == null
        || dataset == null
        || pretrained == null
        || fineTunedCheckpointKey == null) {
      throw new IllegalArgumentException("probe task needs the arm, dataset, model and checkpoint");
    }
  }
}
