package io.tunelab.cli.commands;

import io.tunelab.cli.Foreground;
import io.tunelab.cli.Services;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.training.Devices;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import io.tunelab.workflows.model.Device;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tunelab worker}: a worker against the configured Temporal and object store. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Runs a worker: workflows, ingest, training and reports. Start one per machine.")
public final class WorkerCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Option(
      names = "--training-slots",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Models trained at once on this worker; only 1 is supported (one training per process), so scale out with more workers (default: ${DEFAULT-VALUE}).")
  int trainingSlots;

  @Option(
      names = "--gpu",
      description =
          "Train the runs started with --device gpu (their own task queue) instead of the others; refused when the PyTorch engine sees no GPU.")
  boolean gpu;

  @Override
  public Integer call() throws InterruptedException {
    WorkerSettings settings = settings();
    if (gpu) {
      // a GPU worker on a CPU-only libtorch would take GPU runs and train them on the CPU
      Devices.Choice choice = Devices.resolve(Device.GPU);
      if (choice.fellBack()) {
        throw new ParameterException(spec.commandLine(), "--gpu: " + choice.reason());
      }
    }
    Foreground foreground = new Foreground();
    Services services = foreground.add(new Services(connection));
    foreground.add(
        TunelabWorker.start(services.temporal(), connection.taskQueue, services.store(), settings));
    spec.commandLine()
        .getErr()
        .printf(
            "worker polling %s at %s (training from %s), objects at %s/%s; Ctrl-C stops it%n",
            connection.taskQueue,
            connection.temporalTarget,
            String.join(", ", settings.trainingQueues(connection.taskQueue)),
            connection.s3Endpoint,
            connection.bucket);
    spec.commandLine().getErr().flush();
    foreground.awaitSignal();
    return 0;
  }

  /** What the flags ask of the worker: its training slots and which training queue it polls. */
  public WorkerSettings settings() {
    WorkerSettings defaults = WorkerSettings.defaults();
    WorkerSettings settings =
        new WorkerSettings(trainingSlots, defaults.ioSlots(), defaults.shardCacheEntries());
    return gpu ? settings.training(WorkerSettings.Training.GPU) : settings;
  }
}
