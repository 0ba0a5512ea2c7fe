package io.tunelab.cli;

import io.tunelab.dataset.BadInputException;
import io.tunelab.storage.StoreException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

/**
 * Maps exceptions to the contract's exit codes and prints one line on stderr, with the stack trace
 * only under {@code --verbose}.
 */
public final class ExceptionMapper implements IExecutionExceptionHandler, IExitCodeExceptionMapper {

  @Override
  public int getExitCode(Throwable exception) {
    Throwable t = exception;
    if (t instanceof UsageException
        || t instanceof BadInputException
        || t instanceof IllegalArgumentException
        || t instanceof CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    if (t instanceof UnreachableException) {
      return ExitCodes.UNREACHABLE;
    }
    if (t instanceof StoreException store && store.unreachable()) {
      return ExitCodes.UNREACHABLE;
    }
    return ExitCodes.FAILED;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    err.println(cmd.getColorScheme().errorText("tunelab: " + message));
    if (TunelabCli.verbose(parseResult)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return getExitCode(ex);
  }
}
