package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything an experiment needs to run: where the data is, which pretrained model to start from,
 * and the hyper-parameters of both arms. It holds no credentials. Build one with {@link
 * #builder()}; the canonical constructor is what Jackson uses to read histories.
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
 * @param columns a table's class column and dropped columns; {@code null} (the default, and what
 *     histories written before tables read as) for the defaults
 * @param clips how videos are cut into stacks ({@code --clip-frames}, {@code --clip-stride}, {@code
 *     --frame-size}); {@code null} (also what histories written before clips read as) for the
 *     defaults
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
    boolean skipProbes,
    @JsonInclude(JsonInclude.Include.NON_NULL) TableColumns columns,
    @JsonInclude(JsonInclude.Include.NON_NULL) ClipStacks clips) {

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

  /** A copy that continues from a resume point. */
  public ExperimentSpec resumingFrom(ResumePoint point) {
    return toBuilder().resume(point).build();
  }

  /** A copy that skips the diagnosis probes ({@code tunelab run --no-probes}). */
  public ExperimentSpec withoutProbes() {
    return toBuilder().skipProbes(true).build();
  }

  /**
   * The scratch arm's hyper-parameters: the fine-tune ones with the scratch rate, no freezing and
   * one rate for every parameter (it has no pretrained backbone).
   */
  public TrainingParams scratchParams() {
    return finetune
        .withLearningRate(scratchLearningRate)
        .withFreeze(Freeze.NONE)
        .withBackboneLrFactor(1.0);
  }

  /**
   * A builder with the defaults: all classes, no cap per class, the scratch baseline trained,
   * started from the command line, no dataset name or version, not resuming, probes on. The run id,
   * source, pretrained model, fine-tune parameters and scratch rate have no default.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec, to change a few fields. */
  public Builder toBuilder() {
    return new Builder()
        .runId(runId)
        .source(source)
        .classes(classes)
        .perClass(perClass)
        .pretrained(pretrained)
        .finetune(finetune)
        .scratchLearningRate(scratchLearningRate)
        .scratch(scratch)
        .trigger(trigger)
        .datasetName(datasetName)
        .datasetVersion(datasetVersion)
        .resume(resume)
        .skipProbes(skipProbes)
        .columns(columns)
        .clips(clips);
  }

  /** Collects the fields by name; {@link #build()} validates them. */
  public static final class Builder {
    private String runId;
    private String source;
    private List<String> classes = List.of();
    private int perClass;
    private String pretrained;
    private TrainingParams finetune;
    private double scratchLearningRate;
    private boolean scratch = true;
    private String trigger = "cli";
    private String datasetName;
    private String datasetVersion;
    private ResumePoint resume;
    private boolean skipProbes;
    private TableColumns columns;
    private ClipStacks clips;

    private Builder() {}

    public Builder runId(String runId) {
      this.runId = runId;
      return this;
    }

    public Builder source(String source) {
      this.source = source;
      return this;
    }

    public Builder classes(List<String> classes) {
      this.classes = classes;
      return this;
    }

    public Builder perClass(int perClass) {
      this.perClass = perClass;
      return this;
    }

    public Builder pretrained(String pretrained) {
      this.pretrained = pretrained;
      return this;
    }

    public Builder finetune(TrainingParams finetune) {
      this.finetune = finetune;
      return this;
    }

    public Builder scratchLearningRate(double scratchLearningRate) {
      this.scratchLearningRate = scratchLearningRate;
      return this;
    }

    public Builder scratch(boolean scratch) {
      this.scratch = scratch;
      return this;
    }

    public Builder trigger(String trigger) {
      this.trigger = trigger;
      return this;
    }

    public Builder datasetName(String datasetName) {
      this.datasetName = datasetName;
      return this;
    }

    public Builder datasetVersion(String datasetVersion) {
      this.datasetVersion = datasetVersion;
      return this;
    }

    public Builder resume(ResumePoint resume) {
      this.resume = resume;
      return this;
    }

    public Builder skipProbes(boolean skipProbes) {
      this.skipProbes = skipProbes;
      return this;
    }

    /**
     * The spec.
     *
     * @throws IllegalArgumentException naming the first field that is missing or out of range
     */
    /** A table's class column and dropped columns ({@code null}: the defaults). */
    public Builder columns(TableColumns columns) {
      this.columns = columns;
      return this;
    }

    /** How videos are cut into stacks ({@code null}: the defaults). */
    public Builder clips(ClipStacks clips) {
      this.clips = clips;
      return this;
    }

    public ExperimentSpec build() {
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
          skipProbes,
          columns,
          clips);
    }
  }
}
