package io.tunelab.cli.options;

import io.tunelab.cli.Services;
import io.tunelab.cli.TorchScriptImport;
import io.tunelab.cli.UsageException;
import io.tunelab.registry.ModelRegistry;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.Head;
import io.tunelab.workflows.model.ModelInfo;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What an experiment runs on and how it trains, shared by {@code run} and {@code sweep} (whose
 * members are runs with these options and the varied values).
 */
public final class RunOptions {
  static final int DEFAULT_IMAGE_SIZE = 64;
  static final int MAX_IMAGE_SIZE = 1024;

  @Mixin public TrainingOptions training;
  @Mixin public SourceOptions data;

  @Option(
      names = "--pretrained",
      required = true,
      paramLabel = "NAME|FILE.pt",
      description =
          "Registered model to fine-tune, or a TorchScript file (torch.jit.save of a"
              + " scripted or traced image model taking 3-channel images) to import and fine-tune"
              + " with a new head.")
  public String pretrained;

  @Option(
      names = "--image-size",
      paramLabel = "S",
      description =
          "With --pretrained FILE.pt: images are resized to 3 x S x S for the module"
              + " (default: "
              + DEFAULT_IMAGE_SIZE
              + "). Registered models keep their own size.")
  Integer imageSize;

  @Mixin public SubsetOptions subset;
  @Mixin public ArmOptions arms;

  @Option(
      names = "--no-probes",
      description =
          "Skip the diagnosis probes after training"
              + " (out-of-sample label-noise fits, learning-rate range test, frozen-feature probe,"
              + " forgetting): faster, but label noise is not looked for and the learning-rate,"
              + " domain-shift, too-little-data and forgetting findings lose their probe evidence.")
  boolean noProbes;

  /**
   * The experiment these options describe, with run id {@code runId}; bad values are usage errors
   * naming the flag. Reads nothing but a TorchScript file given as {@code --pretrained}.
   */
  public ExperimentSpec experiment(String runId) {
    torchScript();
    return ExperimentSpec.builder()
        .runId(runId)
        .source(data.resolved())
        .classes(subset.classList())
        .perClass(subset.perClass)
        .pretrained(pretrained)
        .finetune(arms.finetune(training))
        .scratchLearningRate(arms.scratchLearningRate(training))
        .scratch(arms.scratch())
        .skipProbes(noProbes)
        .columns(subset.columns())
        .clips(subset.stacks())
        .build();
  }

  private TorchScriptImport checkedTorchScript;

  /** The TorchScript file {@code --pretrained} names, checked once, or {@code null} for a name. */
  TorchScriptImport torchScript() {
    if (checkedTorchScript != null) {
      return checkedTorchScript;
    }
    if (TorchScriptImport.isFile(pretrained)) {
      int size = imageSize == null ? DEFAULT_IMAGE_SIZE : imageSize;
      if (size < 8 || size > MAX_IMAGE_SIZE) {
        throw new UsageException("--image-size " + size + ": must be 8 to " + MAX_IMAGE_SIZE);
      }
      checkedTorchScript = TorchScriptImport.check(pretrained, size);
      return checkedTorchScript;
    }
    if (imageSize != null) {
      throw new UsageException(
          "--image-size applies to --pretrained FILE.pt only; the registered"
              + " model "
              + pretrained
              + " keeps the image size it was trained on");
    }
    return null;
  }

  private DenseModelFlags denseFlags;

  /** A TorchScript module comes without an output layer of named classes to reuse. */
  private static void refuseHeadReuse(ExperimentSpec experiment) {
    if (experiment.finetune().head() == Head.REUSE) {
      throw new UsageException(
          "--head reuse: a TorchScript model has no output layer of named classes; leave --head"
              + " out");
    }
  }

  /** The mlp's flags against the pretrained model, once {@link #withModel} has found it. */
  public DenseModelFlags denseFlags() {
    if (denseFlags == null) {
      throw new IllegalStateException("withModel has not looked the pretrained model up");
    }
    return denseFlags;
  }

  /**
   * The experiment with its pretrained model ready (the mlp flags checked against it, a pretrained
   * mlp's hidden layers in the parameters): a registered model must exist; a TorchScript file is
   * imported into the registry (said on {@code err}) and named instead.
   */
  public ExperimentSpec withModel(ExperimentSpec experiment, Services services, PrintWriter err) {
    TorchScriptImport torchScript = torchScript();
    if (torchScript == null) {
      ModelInfo model = registered(services, pretrained, " (or give a TorchScript FILE.pt)");
      if (ArmSpec.TORCHSCRIPT.equals(model.architecture())) {
        refuseHeadReuse(experiment);
      }
      denseFlags = DenseModelFlags.forPretrained(model, services.store());
      denseFlags.check(training);
      denseFlags.checkData(data.resolved());
      return experiment.toBuilder().finetune(denseFlags.fit(experiment.finetune())).build();
    }
    refuseHeadReuse(experiment);
    ModelInfo imported = torchScript.register(services.store());
    denseFlags = DenseModelFlags.forPretrained(imported, services.store());
    denseFlags.check(training);
    denseFlags.checkData(data.resolved());
    err.println(
        "imported "
            + torchScript
            + " as model "
            + imported.name()
            + " (version "
            + imported.version()
            + ")");
    return experiment.toBuilder().pretrained(imported.name()).build();
  }

  /**
   * The latest version of registered model {@code name}; a usage error naming {@code --pretrained}
   * (and {@code hint}) when there is none.
   */
  public static ModelInfo registered(Services services, String name, String hint) {
    return new ModelRegistry(services.store())
        .latest(name)
        .orElseThrow(
            () ->
                new UsageException(
                    "--pretrained " + name + ": " + ModelRegistry.unknown(name) + hint));
  }
}
