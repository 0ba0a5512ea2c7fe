package io.tunelab.cli.commands;

import io.tunelab.cli.CliSupport;
import io.tunelab.cli.Launcher;
import io.tunelab.cli.ProgressView;
import io.tunelab.cli.Services;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.cli.options.TrainingOptions;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RunState;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tunelab pretrain}: train a source model and register it by name. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = "Trains a source model on a dataset and registers it under a name.")
public final class PretrainCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Mixin TrainingOptions training;
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "SRC",
      description = "Folder or s3://bucket/prefix: class folders, or train/ val/ [test/].")
  String data;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Registry name.")
  String name;

  @Option(names = "--classes", paramLabel = "a,b", description = "Classes to keep (folder names).")
  String classes;

  @Option(names = "--per-class", paramLabel = "N", defaultValue = "0",
      description = "Cap on training images per class; 0 = all.")
  int perClass;

  @Option(names = "--model", paramLabel = "cnn|resnet18|resnet50", defaultValue = "cnn",
      description = "Architecture (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--image-size", paramLabel = "PIXELS", defaultValue = "28",
      description = "Side of the square model input; images are resized to it (default: ${DEFAULT-VALUE}).")
  int imageSize;

  @Option(names = "--run-name", paramLabel = "ID", description = "Run id; refused when already in use.")
  String runName;

  @Option(names = "--wait", description = "Follow the run to its end and print the summary.")
  boolean await;

  @Option(names = "--json", description = "With --wait: print the report JSON on stdout, nothing else.")
  boolean json;

  @Override
  public Integer call() {
    String runId = runName != null ? runName : Launcher.newRunId("pretrain-" + name);
    PretrainSpec pretrain = new PretrainSpec(runId, CliSupport.resolveData(data),
        CliSupport.classes(classes), perClass, name, model, imageSize, training.params("none").withBackboneLrFactor(1.0));
    try (Services services = new Services(connection)) {
      Launcher launcher = new Launcher(services);
      launcher.startPretrain(pretrain);
      if (!await) {
        spec.commandLine().getOut().println(runId);
        return 0;
      }
      spec.commandLine().getErr().println("started pretraining run " + runId);
      RunState state = launcher.await(runId, new ProgressView(spec.commandLine().getErr(),
          System.console() != null));
      CliSupport.printResult(state, json, services, spec.commandLine().getOut());
      return 0;
    }
  }
}
