package io.tunelab.cli.commands;

import io.tunelab.cli.Launcher;
import io.tunelab.cli.Services;
import io.tunelab.cli.TorchScriptImport;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.options.ArmOptions;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.cli.options.SourceOptions;
import io.tunelab.cli.options.SubsetOptions;
import io.tunelab.cli.options.TrainingOptions;
import io.tunelab.cli.options.WaitOptions;
import io.tunelab.registry.ModelRegistry;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.RunIds;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tunelab run}: fine-tune a pretrained model and train a scratch baseline on the same
 * splits.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Starts an experiment: fine-tune arm and scratch-baseline arm on identical splits.")
public final class RunCommand implements Callable<Integer> {
  static final int DEFAULT_IMAGE_SIZE = 64;
  static final int MAX_IMAGE_SIZE = 1024;

  @Mixin ConnectionOptions connection;
  @Mixin TrainingOptions training;
  @Spec CommandSpec spec;

  @Mixin SourceOptions data;

  @Option(
      names = "--pretrained",
      required = true,
      paramLabel = "NAME|FILE.pt",
      description =
          "Registered model to fine-tune, or a TorchScript file (torch.jit.save of a"
              + " scripted or traced image model taking 3-channel images) to import and fine-tune"
              + " with a new head.")
  String pretrained;

  @Option(
      names = "--image-size",
      paramLabel = "S",
      description =
          "With --pretrained FILE.pt: images are resized to 3 x S x S for the module"
              + " (default: "
              + DEFAULT_IMAGE_SIZE
              + "). Registered models keep their own size.")
  Integer imageSize;

  @Mixin SubsetOptions subset;
  @Mixin ArmOptions arms;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Run id; refused when already in use.")
  String name;

  @Option(
      names = "--no-probes",
      description =
          "Skip the diagnosis probes after training"
              + " (out-of-sample label-noise fits, learning-rate range test, frozen-feature probe,"
              + " forgetting): faster, but label noise is not looked for and the learning-rate,"
              + " domain-shift, too-little-data and forgetting findings lose their probe evidence.")
  boolean noProbes;

  @Mixin WaitOptions wait;

  @Override
  public Integer call() {
    String runId = name != null ? name : Launcher.newRunId("run");
    RunIds.requireValid(runId);
    String source = data.resolved();
    TorchScriptImport torchScript = null;
    if (TorchScriptImport.isFile(pretrained)) {
      int size = imageSize == null ? DEFAULT_IMAGE_SIZE : imageSize;
      if (size < 8 || size > MAX_IMAGE_SIZE) {
        throw new UsageException("--image-size " + size + ": must be 8 to " + MAX_IMAGE_SIZE);
      }
      torchScript = TorchScriptImport.check(pretrained, size);
    } else if (imageSize != null) {
      throw new UsageException(
          "--image-size applies to --pretrained FILE.pt only; the registered"
              + " model "
              + pretrained
              + " keeps the image size it was trained on");
    }
    ExperimentSpec experiment =
        ExperimentSpec.builder()
            .runId(runId)
            .source(source)
            .classes(subset.classList())
            .perClass(subset.perClass)
            .pretrained(pretrained)
            .finetune(arms.finetune(training))
            .scratchLearningRate(arms.scratchLearningRate(training))
            .scratch(arms.scratch())
            .skipProbes(noProbes)
            .build();
    try (Services services = new Services(connection)) {
      services.temporal(); // connected first: an unreachable Temporal is named before the bucket
      if (torchScript == null && new ModelRegistry(services.store()).latest(pretrained).isEmpty()) {
        throw new UsageException(
            "--pretrained "
                + pretrained
                + ": "
                + ModelRegistry.unknown(pretrained)
                + " (or give a TorchScript FILE.pt)");
      }
      if (torchScript != null) {
        ModelInfo imported = torchScript.register(services.store());
        spec.commandLine()
            .getErr()
            .println(
                "imported "
                    + torchScript
                    + " as model "
                    + imported.name()
                    + " (version "
                    + imported.version()
                    + ")");
        experiment = experiment.toBuilder().pretrained(imported.name()).build();
      }
      new Launcher(services).startExperiment(experiment);
      return wait.follow(runId, "started run " + runId, services, spec.commandLine());
    }
  }
}
