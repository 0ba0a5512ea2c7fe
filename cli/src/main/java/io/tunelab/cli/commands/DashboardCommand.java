package io.tunelab.cli.commands;

import io.tunelab.cli.Foreground;
import io.tunelab.cli.Services;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.dashboard.DashboardData;
import io.tunelab.cli.dashboard.DashboardServer;
import io.tunelab.cli.options.ConnectionOptions;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tunelab dashboard}: the local dashboard against the configured Temporal and store. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the local dashboard on 127.0.0.1 (runs, live curves, findings, reports) "
          + "against the configured Temporal service and object store; foreground.",
      "'tunelab up' serves it too."
    })
public final class DashboardCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "P",
      defaultValue = "${env:TUNELAB_DASHBOARD_PORT:-" + DashboardServer.DEFAULT_PORT + "}",
      description =
          "Port on 127.0.0.1 (TUNELAB_DASHBOARD_PORT; default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--temporal-ui",
      paramLabel = "URL",
      defaultValue = "${env:TUNELAB_TEMPORAL_UI}",
      description =
          "Address of the cluster's Temporal web UI, e.g. http://temporal-ui:8080 "
              + "(TUNELAB_TEMPORAL_UI): each run links to its workflow there.")
  String temporalUi;

  @Override
  public Integer call() throws InterruptedException {
    String ui = checkedUi(temporalUi);
    Foreground foreground = new Foreground();
    DashboardServer server = foreground.add(DashboardServer.bind(port, "--port"));
    try {
      Services services = foreground.add(new Services(connection));
      services.store(); // an unreachable store or Temporal is exit 3 now, not a broken page later
      services.temporal();
      server.serve(new DashboardData(services, ui), subtitle(connection));
    } catch (RuntimeException e) {
      foreground.closeAll();
      throw e;
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println("tunelab dashboard: " + server.url());
    err.println(
        "  Temporal:   "
            + connection.temporalTarget
            + " (namespace "
            + connection.namespace
            + ")"
            + (ui == null ? "" : "; web UI " + ui));
    err.println("  bucket:     " + connection.bucket);
    err.println("Ctrl-C stops it.");
    err.flush();
    foreground.awaitSignal();
    return 0;
  }

  /** What the dashboard's header says about where its data come from (no credentials). */
  static String subtitle(ConnectionOptions c) {
    return "Temporal " + c.temporalTarget + " · namespace " + c.namespace + " · bucket " + c.bucket;
  }

  /** The web UI's address, checked: an http or https URL, or {@code null} when not set. */
  static String checkedUi(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(url.trim());
      String scheme =
          uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getUserInfo() == null) {
        return url.trim();
      }
    } catch (URISyntaxException e) {
      // fall through
    }
    throw new UsageException(
        "--temporal-ui "
            + url
            + ": not an http(s) address of a Temporal web UI (e.g. http://temporal-ui:8080)");
  }
}
