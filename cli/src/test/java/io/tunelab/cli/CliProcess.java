package io.tunelab.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code tunelab} command in a process of its own (a foreground verb), its output collected. */
final class CliProcess implements AutoCloseable {
  private final Process process;
  private final StringBuffer output = new StringBuffer();

  private CliProcess(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  output.append(line).append('\n');
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "cli-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  static CliProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TunelabCli.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.environment().remove("TUNELAB_DASHBOARD_PORT");
    builder.environment().remove("TUNELAB_TEMPORAL_UI");
    return new CliProcess(builder.start());
  }

  /** Waits for a line of output matching {@code regex} and returns its match. */
  Matcher awaitLine(String regex, long seconds) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Matcher m = pattern.matcher(output);
      if (m.find()) {
        return m;
      }
      if (!process.isAlive()) {
        Thread.sleep(200); // the last lines
        m = pattern.matcher(output);
        if (m.find()) {
          return m;
        }
        throw new AssertionError(
            "process exited with "
                + process.exitValue()
                + " before printing /"
                + regex
                + "/:\n"
                + output);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no line /" + regex + "/ within " + seconds + " s:\n" + output);
  }

  String output() {
    return output.toString();
  }

  /** SIGTERM, then waits for the exit; returns the exit code. */
  int terminate(long seconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("still running " + seconds + " s after SIGTERM:\n" + output);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
