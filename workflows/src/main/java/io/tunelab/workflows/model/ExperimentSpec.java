package io.tunelab.workflows.model;

import java.util.List;

/**
 * Everything an experiment needs to run: where the data is, which pretrained model to start from,
 * and the hyper-parameters of both arms. It holds no credentials.
 *
 * @param runId the run's id, also its workflow id
 * @param source a local folder or an {@code s3://bucket/prefix}
 * @param classes class names to keep; empty keeps all
 * @param perClass cap on training images per class; 0 keeps all
 * @param pretrained registered model name
 * @param finetune fine-tune arm hyper-parameters
 * @param scratchLearningRate learning rate of the scratch arm
 * @param scratch whether to train the from-scratch baseline
 * @param trigger {@code cli} or {@code watch}
 * @param datasetName dataset name shown in lists (the source when none)
 * @param datasetVersion dataset version, or {@code null}
 * @param resume where to continue from when the run's workflow was lost, or {@code null}
 * @param skipProbes whether to skip the diagnosis probes (out-of-sample label-noise fits,
 *     learning-rate range test, frozen-feature probe, source accuracy) that run after training;
 *     {@code false} (the default, and what histories written before the field read as) runs them
 */
public record ExperimentSpec(
    String runId,
    String source,
    List<String> classes,
    int perClass,
    String pretrained,
    TrainingParams finetune,
    double scratchLearningRate,
    boolean scratch,
    String trigger,
    String datasetName,
    String datasetVersion,
    ResumePoint resume,
    boolean skipProbes) {

  public ExperimentSpec {
    RunIds.requireValid(runId);
    DataSelection.requireSource(source);
    classes = DataSelection.classes(classes);
    DataSelection.requirePerClass(perClass);
    if (pretrained == null || pretrained.isBlank()) {
      throw new IllegalArgumentException("pretrained model name must not be empty");
    }
    if (finetune == null) {
      throw new IllegalArgumentException("finetune parameters must not be null");
    }
    if (!(scratchLearningRate > 0)) {
      throw new IllegalArgumentException(
          "scratch learning rate must be > 0: " + scratchLearningRate);
    }
    if (!"cli".equals(trigger) && !"watch".equals(trigger)) {
      throw new IllegalArgumentException("trigger must be cli or watch: " + trigger);
    }
  }

  /** An experiment that runs the diagnosis probes. */
  public ExperimentSpec(
      String runId,
      String source,
      List<String> classes,
      int perClass,
      String pretrained,
      TrainingParams finetune,
      double scratchLearningRate,
      boolean scratch,
      String trigger,
      String datasetName,
      String datasetVersion,
      ResumePoint resume) {
    this(
        runId,
        source,
        classes,
        perClass,
        pretrained,
        finetune,
        scratchLearningRate,
        scratch,
        trigger,
        datasetName,
        datasetVersion,
        resume,
        false);
  }

  /** A copy that continues from a resume point. */
  public ExperimentSpec resumingFrom(ResumePoint point) {
    return new ExperimentSpec(
        runId,
        source,
        classes,
        perClass,
        pretrained,
        finetune,
        scratchLearningRate,
        scratch,
        trigger,
        datasetName,
        datasetVersion,
        point,
        skipProbes);
  }

  /** A copy that skips the diagnosis probes ({@code tunelab run --no-probes}). */
  public ExperimentSpec withoutProbes() {
    return new ExperimentSpec(
        runId,
        source,
        classes,
        perClass,
        pretrained,
        finetune,
        scratchLearningRate,
        scratch,
        trigger,
        datasetName,
        datasetVersion,
        resume,
        true);
  }

  /**
   * The scratch arm's hyper-parameters: the fine-tune ones with the scratch rate, no freezing and
   * one rate for every parameter (it has no pretrained backbone).
   */
  public TrainingParams scratchParams() {
    return finetune
        .withLearningRate(scratchLearningRate)
        .withFreeze("none")
        .withBackboneLrFactor(1.0);
  }
}
