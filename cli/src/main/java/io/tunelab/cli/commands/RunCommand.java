package io.tunelab.cli.commands;

import io.tunelab.cli.CliSupport;
import io.tunelab.cli.Launcher;
import io.tunelab.cli.ProgressView;
import io.tunelab.cli.Services;
import io.tunelab.cli.TorchScriptImport;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.cli.options.TrainingOptions;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.RunIds;
import io.tunelab.workflows.model.RunState;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tunelab run}: fine-tune a pretrained model and train a scratch baseline on the same splits. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Starts an experiment: fine-tune arm and scratch-baseline arm on identical splits.")
public final class RunCommand implements Callable<Integer> {
  static final int DEFAULT_IMAGE_SIZE = 64;
  static final int MAX_IMAGE_SIZE = 1024;

  @Mixin ConnectionOptions connection;
  @Mixin TrainingOptions training;
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "SRC",
      description = "Folder or s3://bucket/prefix: class folders, or train/ val/ [test/].")
  String data;

  @Option(names = "--pretrained", required = true, paramLabel = "NAME|FILE.pt",
      description = "Registered model to fine-tune, or a TorchScript file (torch.jit.save of a"
          + " scripted or traced image model taking 3-channel images) to import and fine-tune"
          + " with a new head.")
  String pretrained;

  @Option(names = "--image-size", paramLabel = "S",
      description = "With --pretrained FILE.pt: images are resized to 3 x S x S for the module"
          + " (default: " + DEFAULT_IMAGE_SIZE + "). Registered models keep their own size.")
  Integer imageSize;

  @Option(names = "--classes", paramLabel = "a,b", description = "Classes to keep (folder names).")
  String classes;

  @Option(names = "--per-class", paramLabel = "N", defaultValue = "0",
      description = "Cap on training images per class; 0 = all.")
  int perClass;

  @Option(names = "--scratch-lr", paramLabel = "X",
      description = "Learning rate of the scratch arm (default: --lr).")
  Double scratchLr;

  @Option(names = "--freeze", paramLabel = "none|backbone|gradual", defaultValue = "none",
      description = "Fine-tune strategy (default: ${DEFAULT-VALUE}).")
  String freeze;

  @Option(names = "--no-scratch", description = "Skip the scratch baseline.")
  boolean noScratch;

  @Option(names = "--name", paramLabel = "NAME", description = "Run id; refused when already in use.")
  String name;

  @Option(names = "--wait", description = "Follow the run to its end and print the summary.")
  boolean await;

  @Option(names = "--json", description = "With --wait: print the report JSON on stdout, nothing else.")
  boolean json;

  @Override
  public Integer call() {
    String runId = name != null ? name : Launcher.newRunId("run");
    RunIds.requireValid(runId);
    String source = CliSupport.resolveData(data);
    TorchScriptImport torchScript = null;
    if (TorchScriptImport.isFile(pretrained)) {
      int size = imageSize == null ? DEFAULT_IMAGE_SIZE : imageSize;
      if (size < 8 || size > MAX_IMAGE_SIZE) {
        throw new UsageException("--image-size " + size + ": must be 8 to " + MAX_IMAGE_SIZE);
      }
      torchScript = TorchScriptImport.check(pretrained, size);
    } else if (imageSize != null) {
      throw new UsageException("--image-size applies to --pretrained FILE.pt only; the registered"
          + " model " + pretrained + " keeps the image size it was trained on");
    }
    ExperimentSpec experiment = new ExperimentSpec(runId, source,
        CliSupport.classes(classes), perClass, pretrained, training.params(freeze),
        scratchLr == null ? training.lr : scratchLr, !noScratch, "cli", null, null, null);
    try (Services services = new Services(connection)) {
      if (torchScript != null) {
        ModelInfo imported = torchScript.register(services.store());
        spec.commandLine().getErr().println("imported " + torchScript + " as model "
            + imported.name() + " (version " + imported.version() + ")");
        experiment = new ExperimentSpec(runId, source, experiment.classes(), perClass,
            imported.name(), experiment.finetune(), experiment.scratchLearningRate(),
            experiment.scratch(), "cli", null, null, null);
      }
      Launcher launcher = new Launcher(services);
      launcher.startExperiment(experiment);
      if (!await) {
        spec.commandLine().getOut().println(runId);
        return 0;
      }
      spec.commandLine().getErr().println("started run " + runId);
      RunState state = launcher.await(runId, new ProgressView(spec.commandLine().getErr(),
          System.console() != null));
      CliSupport.printResult(state, json, services, spec.commandLine().getOut());
      return 0;
    }
  }
}
