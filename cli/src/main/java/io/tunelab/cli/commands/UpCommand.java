package io.tunelab.cli.commands;

import io.tunelab.cli.Foreground;
import io.tunelab.cli.Services;
import io.tunelab.cli.dashboard.DashboardData;
import io.tunelab.cli.dashboard.DashboardServer;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tunelab up}: the embedded Temporal service, the embedded S3 store and a worker. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Starts the embedded Temporal service and S3 object store (and a worker and the local "
            + "dashboard) in the foreground.")
public final class UpCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Option(
      names = "--temporal-port",
      paramLabel = "P",
      description = "Temporal port (default: the port of --temporal-target, 7233).")
  Integer temporalPort;

  @Option(
      names = "--s3-port",
      paramLabel = "P",
      description = "S3 port (default: the port of --s3-endpoint, 9000).")
  Integer s3Port;

  @Option(names = "--no-worker", description = "Start the services only.")
  boolean noWorker;

  @Option(
      names = "--dashboard-port",
      paramLabel = "P",
      defaultValue = "${env:TUNELAB_DASHBOARD_PORT:-" + DashboardServer.DEFAULT_PORT + "}",
      description =
          "Port of the local dashboard on 127.0.0.1 (TUNELAB_DASHBOARD_PORT; "
              + "default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int dashboardPort;

  @Option(names = "--no-dashboard", description = "Do not serve the local dashboard.")
  boolean noDashboard;

  @Override
  public Integer call() throws InterruptedException {
    int tPort = temporalPort != null ? temporalPort : port(connection.temporalTarget, 7233);
    int sPort = s3Port != null ? s3Port : port(connection.s3Endpoint, 9000);
    S3Credentials creds =
        CredentialStore.resolve(
            connection.home, connection.envAccessKey(), connection.envSecretKey());
    Foreground foreground = new Foreground();
    // the dashboard's port first: when it is taken, say so before anything has started
    DashboardServer dashboard =
        noDashboard
            ? null
            : foreground.add(DashboardServer.bind(dashboardPort, "--dashboard-port"));
    EmbeddedStack stack;
    try {
      stack =
          foreground.add(
              EmbeddedStack.start(connection.home, tPort, sPort, creds, connection.bucket));
    } catch (RuntimeException e) {
      foreground.closeAll();
      throw e;
    }
    connection.temporalTarget = stack.endpoints().temporalTarget();
    connection.s3Endpoint = stack.endpoints().s3Endpoint();
    PrintWriter err = spec.commandLine().getErr();
    err.println("tunelab is up");
    err.println(
        "  Temporal:   " + connection.temporalTarget + " (namespace " + connection.namespace + ")");
    err.println(
        "  S3:         "
            + connection.s3Endpoint
            + " bucket "
            + connection.bucket
            + " (files under "
            + connection.home.resolve(EmbeddedStack.OBJECTS_DIR)
            + ")");
    err.println(
        "  credentials: " + connection.home.resolve(CredentialStore.FILE_NAME) + " (owner-only)");
    Services services = foreground.add(new Services(connection));
    if (!noWorker) {
      foreground.add(
          TunelabWorker.start(
              services.temporal(),
              connection.taskQueue,
              services.store(),
              // the only worker here: it trains --device gpu runs too (on its CPU if no GPU)
              WorkerSettings.defaults().training(WorkerSettings.Training.EVERY)));
      err.println("  worker:     polling task queue " + connection.taskQueue);
    }
    if (dashboard != null) {
      // the embedded stack has no Temporal web UI to link to
      dashboard.serve(new DashboardData(services, null), DashboardCommand.subtitle(connection));
      err.println("  dashboard:  " + dashboard.url());
    }
    err.println("Ctrl-C stops everything.");
    err.flush();
    foreground.awaitSignal();
    return 0;
  }

  private static int port(String target, int fallback) {
    int colon = target.lastIndexOf(':');
    if (colon < 0) {
      return fallback;
    }
    String tail = target.substring(colon + 1).replaceAll("/.*$", "");
    try {
      return Integer.parseInt(tail);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
