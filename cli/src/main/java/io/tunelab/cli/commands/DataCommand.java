package io.tunelab.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tunelab data}: datasets in the bucket. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Datasets in the bucket: versions under datasets/NAME/.",
    subcommands = {DataPushCommand.class})
public final class DataCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (push)");
  }
}
