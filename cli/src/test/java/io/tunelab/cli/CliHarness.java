package io.tunelab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs the CLI in-process the way {@code main} does, capturing stdout, stderr and the exit code.
 */
final class CliHarness {
  record Result(int code, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  private final List<String> connection;

  CliHarness(Path home, String temporalTarget, String s3Endpoint) {
    this.connection =
        List.of(
            "--home",
            home.toString(),
            "--temporal-target",
            temporalTarget,
            "--s3-endpoint",
            s3Endpoint);
  }

  /** Runs a verb with the harness's connection flags appended. */
  Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(connection);
    return raw(all.toArray(String[]::new));
  }

  /** Runs exactly the given arguments. */
  static Result raw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TunelabCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
