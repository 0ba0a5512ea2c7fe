package io.tunelab.cli.commands;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tunelab.cli.CliSupport;
import io.tunelab.cli.SearchAttributeSetup;
import io.tunelab.cli.Services;
import io.tunelab.cli.UnreachableException;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.options.ArmOptions;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.cli.options.DenseModelFlags;
import io.tunelab.cli.options.RunOptions;
import io.tunelab.cli.options.SubsetOptions;
import io.tunelab.cli.options.TrainingOptions;
import io.tunelab.workflows.StartOptions;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.WatchProgress;
import io.tunelab.workflows.model.WatchSpec;
import io.tunelab.workflows.model.WatchState;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tunelab watch --dataset NAME --pretrained MODEL [run flags]}: starts the durable watcher
 * of a dataset (workflow {@code watch-NAME}), or gives the running one new settings; {@code watch
 * --stop --dataset NAME} ends it.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a durable watcher (workflow watch-NAME) that runs an experiment for every"
          + " new complete version of dataset NAME (a folder datasets/NAME/<version>/ holding"
          + " _READY, pushed with 'data push' or written by any S3 client) and promotes the"
          + " fine-tuned model to MODEL's champion when it beats the champion on the version's"
          + " test split. Every run fine-tunes MODEL's latest version (after a promotion: the"
          + " champion). Run ids are watch-NAME-<12 hex of the content hash>: each content runs once.",
      "A second call gives the running watcher the new settings. Returns once the watcher runs;"
          + " prints its workflow id."
    })
public final class WatchCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  @Mixin ConnectionOptions connection;
  @Mixin TrainingOptions training;
  @Spec CommandSpec spec;

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "NAME",
      description = "Dataset to watch.")
  String dataset;

  @Option(
      names = "--pretrained",
      paramLabel = "MODEL",
      description = "Registered model to fine-tune and whose champion to challenge.")
  String pretrained;

  @Option(names = "--stop", description = "End the watcher of --dataset (runs it started go on).")
  boolean stop;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "Time between two looks at the bucket: 500ms, 30s, 5m, 1h (default: ${DEFAULT-VALUE}).")
  String pollInterval;

  @Option(
      names = "--continue-as-new-every",
      paramLabel = "N",
      defaultValue = "" + WatchSpec.DEFAULT_CONTINUE_AS_NEW_EVERY,
      description =
          "Looks per workflow execution before it continues as new (default: ${DEFAULT-VALUE}).")
  int continueAsNewEvery;

  @Option(
      names = "--no-probes",
      description = "Its runs skip the diagnosis probes (see 'tunelab" + " run --help').")
  boolean noProbes;

  @Mixin SubsetOptions subset;
  @Mixin ArmOptions arms;

  @Override
  public Integer call() {
    CliSupport.requireDatasetName(dataset);
    PrintWriter err = spec.commandLine().getErr();
    try (Services services = new Services(connection)) {
      return stop ? stop(services, err) : start(services, err);
    }
  }

  private int start(Services services, PrintWriter err) {
    if (pretrained == null) {
      throw new UsageException("--pretrained MODEL is required (or --stop)");
    }
    ModelInfo model = RunOptions.registered(services, pretrained, "");
    if (ArmSpec.TORCHSCRIPT.equals(model.architecture())) {
      throw new UsageException(
          "--pretrained "
              + pretrained
              + ": a TorchScript import cannot be"
              + " watched (its fine-tuned checkpoints cannot be registered as its versions); use a"
              + " model registered by 'tunelab pretrain'");
    }
    DenseModelFlags dense = DenseModelFlags.forPretrained(model, services.store());
    dense.check(training);
    WatchSpec watch =
        new WatchSpec(
            dataset,
            pretrained,
            subset.classList(),
            subset.perClass,
            dense.fit(arms.finetune(training)),
            arms.scratchLearningRate(training),
            arms.scratch(),
            millis(pollInterval),
            continueAsNewEvery,
            noProbes,
            subset.columns(),
            subset.stacks());
    WorkflowClient client = services.temporal();
    String id = WatchSpec.workflowId(dataset);
    boolean wasRunning = running(client, id);
    WorkflowOptions options =
        StartOptions.watcher(watch, SearchAttributeSetup.ensure(client))
            .setTaskQueue(services.options().taskQueue)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .build();
    if (wasRunning || !started(client, options, watch)) {
      // One atomic call: signals the running watcher, or starts one (the signal then carries the
      // same settings), so two concurrent 'watch' commands never make two watchers.
      client
          .newUntypedWorkflowStub("WatcherWorkflow", options)
          .signalWithStart(
              "update", new Object[] {watch}, new Object[] {watch, WatchProgress.first()});
    }
    WatchState state = awaitRunning(client, id);
    err.printf(
        Locale.ROOT,
        "%s watcher %s: dataset %s, model %s, looking every %s%n",
        wasRunning ? "updated the running" : "started",
        id,
        dataset,
        pretrained,
        pollInterval);
    if (state == null) {
      err.println(
          "no worker has picked the watcher up yet; it starts when one polls task queue "
              + services.options().taskQueue
              + " (tunelab worker or tunelab up)");
    } else if (wasRunning) {
      err.printf("it has started %d runs so far%n", state.runsStarted());
    }
    err.flush();
    spec.commandLine().getOut().println(id);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * Starts a watcher where none ran a moment ago; {@code false} when one runs after all. A plain
   * start, not a signal-with-start: the embedded Temporal service keeps a start's summary only.
   */
  private static boolean started(WorkflowClient client, WorkflowOptions options, WatchSpec watch) {
    try {
      client.newUntypedWorkflowStub("WatcherWorkflow", options).start(watch, WatchProgress.first());
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  private int stop(Services services, PrintWriter err) {
    WorkflowClient client = services.temporal();
    String id = WatchSpec.workflowId(dataset);
    if (!running(client, id)) {
      err.println("no watcher is running for dataset " + dataset);
      err.flush();
      return 0;
    }
    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    stub.signal("stop");
    try {
      stub.getResult(30, TimeUnit.SECONDS, Void.class);
      err.println("stopped watcher " + id + " (runs it started go on)");
    } catch (TimeoutException e) {
      err.println("asked watcher " + id + " to stop; it ends when a worker next runs it");
    }
    err.flush();
    return 0;
  }

  private static boolean running(WorkflowClient client, String id) {
    try {
      return client.newUntypedWorkflowStub(id).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return false;
    } catch (UnreachableException e) {
      throw e;
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** The watcher's state once a worker answers for it, or {@code null} after ~10 s. */
  private static WatchState awaitRunning(WorkflowClient client, String id) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        WatchState state = client.newUntypedWorkflowStub(id).query("state", WatchState.class);
        if (state != null) {
          return state;
        }
      } catch (RuntimeException e) {
        // no worker yet, or the first task has not run
      }
      if (System.nanoTime() > deadline) {
        return null;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  /**
   * Milliseconds of a duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code
   * 30}.
   */
  static long millis(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new UsageException(
          "--poll-interval " + text + ": not a duration (e.g. 500ms, 30s, 5m)");
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double factor =
        switch (unit) {
          case "ms" -> 1;
          case "s" -> 1_000;
          case "m" -> 60_000;
          default -> 3_600_000;
        };
    long millis = Math.round(value * factor);
    if (millis < 100) {
      throw new UsageException("--poll-interval " + text + ": must be at least 100ms");
    }
    return millis;
  }
}
