package io.tunelab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code tunelab worker} in a process of its own, to be killed like a real machine dies. */
final class WorkerProcess implements AutoCloseable {
  private final Process process;

  private WorkerProcess(Process process) {
    this.process = process;
  }

  static WorkerProcess start(Path home, String temporalTarget, String s3Endpoint, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TunelabCli.class.getName());
    command.addAll(
        List.of(
            "worker",
            "--home",
            home.toString(),
            "--temporal-target",
            temporalTarget,
            "--s3-endpoint",
            s3Endpoint));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("OPT_OUT_TRACKING", "true");
    return new WorkerProcess(builder.start());
  }

  /** SIGKILL: no shutdown hook runs, no activity gets to finish or report. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGKILL without waiting, for a shutdown hook: no worker outlives the test JVM. */
  void kill9() {
    process.destroyForcibly();
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
