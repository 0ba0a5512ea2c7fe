package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A watcher's settings: the dataset it watches, the model whose champion it challenges, how the
 * experiments it starts train, and how often it looks. No credentials.
 *
 * @param datasetName the dataset watched ({@code datasets/NAME/} in the bucket)
 * @param model registered model: every run fine-tunes its latest version, and the fine-tuned model
 *     challenges its champion
 * @param classes class names to keep; empty keeps all
 * @param perClass cap on training images per class; 0 keeps all
 * @param finetune fine-tune arm hyper-parameters
 * @param scratchLearningRate learning rate of the scratch arm
 * @param scratch whether runs train the from-scratch baseline too
 * @param pollMillis how long the watcher sleeps between two looks at the bucket
 * @param continueAsNewEvery looks after which the watcher continues as a new execution, which keeps
 *     its history short
 * @param skipProbes whether its runs skip the diagnosis probes ({@code --no-probes}); {@code false}
 *     in histories written before the field
 * @param columns a table's class column and dropped columns; {@code null} (also what histories
 *     written before tables read as) for the defaults
 * @param clips how videos are cut into stacks ({@code --clip-frames}, {@code --clip-stride}, {@code
 *     --frame-size}); {@code null} (also what histories written before clips read as) for the
 *     defaults
 */
public record WatchSpec(
    String datasetName,
    String model,
    List<String> classes,
    int perClass,
    TrainingParams finetune,
    double scratchLearningRate,
    boolean scratch,
    long pollMillis,
    int continueAsNewEvery,
    boolean skipProbes,
    @JsonInclude(JsonInclude.Include.NON_NULL) TableColumns columns,
    @JsonInclude(JsonInclude.Include.NON_NULL) ClipStacks clips) {
  /** Default time between two looks at the bucket. */
  public static final long DEFAULT_POLL_MILLIS = 30_000;

  /** Default number of looks per execution. */
  public static final int DEFAULT_CONTINUE_AS_NEW_EVERY = 100;

  public WatchSpec {
    DatasetNames.requireValid(datasetName);
    ModelNames.requireValid(model);
    classes = DataSelection.classes(classes);
    DataSelection.requirePerClass(perClass);
    if (finetune == null) {
      throw new IllegalArgumentException("finetune parameters must not be null");
    }
    if (!(scratchLearningRate > 0)) {
      throw new IllegalArgumentException(
          "scratch learning rate must be > 0: " + scratchLearningRate);
    }
    if (pollMillis < 100) {
      throw new IllegalArgumentException("poll interval must be at least 100 ms: " + pollMillis);
    }
    if (continueAsNewEvery < 1) {
      throw new IllegalArgumentException(
          "continue-as-new-every must be >= 1: " + continueAsNewEvery);
    }
  }

  /** The watcher's workflow id: one watcher per dataset. */
  public static String workflowId(String datasetName) {
    DatasetNames.requireValid(datasetName);
    return "watch-" + datasetName;
  }

  /**
   * The run id (and workflow id) of the experiment for a version: derived from the content, so a
   * version, and any other version with the same files, runs once.
   */
  public static String runId(String datasetName, DatasetVersion version) {
    return workflowId(datasetName) + "-" + version.shortHash();
  }

  /** The experiment this watcher runs for a version found at {@code source}. */
  public ExperimentSpec experiment(DatasetVersion version, String source) {
    return ExperimentSpec.builder()
        .runId(runId(datasetName, version))
        .source(source)
        .classes(classes)
        .perClass(perClass)
        .pretrained(model)
        .finetune(finetune)
        .scratchLearningRate(scratchLearningRate)
        .scratch(scratch)
        .trigger("watch")
        .datasetName(datasetName)
        .datasetVersion(version.name())
        .skipProbes(skipProbes)
        .columns(columns)
        .clips(clips)
        .build();
  }
}
