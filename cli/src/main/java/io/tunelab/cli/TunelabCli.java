package io.tunelab.cli;

import io.tunelab.cli.commands.CancelCommand;
import io.tunelab.cli.commands.DashboardCommand;
import io.tunelab.cli.commands.DataCommand;
import io.tunelab.cli.commands.DemoCommand;
import io.tunelab.cli.commands.ListCommand;
import io.tunelab.cli.commands.PauseCommand;
import io.tunelab.cli.commands.PretrainCommand;
import io.tunelab.cli.commands.ReportCommand;
import io.tunelab.cli.commands.ResumeCommand;
import io.tunelab.cli.commands.RunCommand;
import io.tunelab.cli.commands.StatusCommand;
import io.tunelab.cli.commands.StopCommand;
import io.tunelab.cli.commands.SweepCommand;
import io.tunelab.cli.commands.UnpauseCommand;
import io.tunelab.cli.commands.UpCommand;
import io.tunelab.cli.commands.WatchCommand;
import io.tunelab.cli.commands.WorkerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/** The {@code tunelab} command: durable transfer-learning experiments that explain their curves. */
@Command(
    name = "tunelab",
    mixinStandardHelpOptions = true,
    version = "tunelab 0.1.0",
    description =
        "Runs durable fine-tune vs scratch experiments and explains their validation curves.",
    subcommands = {
      UpCommand.class,
      WorkerCommand.class,
      PretrainCommand.class,
      RunCommand.class,
      SweepCommand.class,
      StatusCommand.class,
      ListCommand.class,
      ReportCommand.class,
      CancelCommand.class,
      StopCommand.class,
      PauseCommand.class,
      UnpauseCommand.class,
      ResumeCommand.class,
      DataCommand.class,
      WatchCommand.class,
      DemoCommand.class,
      DashboardCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TunelabCli implements Runnable {
  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** A command line with the exception mapper installed, as {@code main} and tests use it. */
  public static CommandLine commandLine() {
    ExceptionMapper mapper = new ExceptionMapper();
    return new CommandLine(new TunelabCli())
        .setParameterExceptionHandler(TunelabCli::badUsage)
        .setExecutionExceptionHandler(mapper)
        .setExitCodeExceptionMapper(mapper)
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  /** One line for a usage error, unknown options first, and where to find help. */
  private static int badUsage(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String message = ex.getMessage();
    java.util.List<String> unknown = new java.util.ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("-")
          && !cmd.getCommandSpec().optionsMap().containsKey(arg.split("=", 2)[0])) {
        unknown.add(arg.split("=", 2)[0]);
      }
    }
    if (!(ex instanceof CommandLine.UnmatchedArgumentException) && !unknown.isEmpty()) {
      message = "Unknown option: " + String.join(", ", unknown);
    }
    cmd.getErr()
        .println(
            cmd.getColorScheme()
                .errorText(
                    cmd.getCommandSpec().qualifiedName()
                        + ": "
                        + message.strip()
                        + " (see '"
                        + cmd.getCommandSpec().qualifiedName()
                        + " --help')"));
    return ExitCodes.USAGE;
  }

  static boolean verbose(ParseResult result) {
    for (ParseResult r = result; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    Runtime.initialise();
    System.exit(commandLine().execute(args));
  }
}
