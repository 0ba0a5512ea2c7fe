package io.tunelab.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tunelab.cli.RunEntries;
import io.tunelab.cli.Services;
import io.tunelab.cli.WorkflowStatuses;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tunelab list}: every run, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists runs, newest first.")
public final class ListCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Services services = new Services(connection)) {
      List<RunRecord> runs = new RunRecords(services.store()).all();
      // A finished record is final; a running one may be stale: its workflow ended without the
      // record saying so, or the workflow is lost (the embedded service restarted).
      WorkflowStatuses statuses = new WorkflowStatuses(services);
      Map<String, RunStatus> live = new HashMap<>();
      for (RunRecord r : runs) {
        if (r.status() == RunStatus.RUNNING) {
          statuses.of(r.runId()).ifPresent(status -> live.put(r.runId(), status));
        }
      }
      if (statuses.unreachable()) {
        spec.commandLine()
            .getErr()
            .println(
                "tunelab: Temporal at "
                    + connection.temporalTarget
                    + " cannot be reached: running runs show their last recorded status");
      }
      if (json) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (RunRecord r : runs) {
          RunEntries.fill(array.addObject(), r, live.get(r.runId()));
        }
        out.println(Json.text(array));
      } else {
        out.printf(
            Locale.ROOT,
            "%-40s %-10s %-10s %-7s %-24s %s%n",
            "RUN",
            "KIND",
            "STATUS",
            "TRIGGER",
            "STARTED",
            "DATASET");
        for (RunRecord r : runs) {
          out.printf(
              Locale.ROOT,
              "%-40s %-10s %-10s %-7s %-24s %s%n",
              r.runId(),
              r.kind(),
              live.getOrDefault(r.runId(), r.status()),
              r.trigger(),
              r.startedAt(),
              r.dataset() + (r.datasetVersion() == null ? "" : " " + r.datasetVersion()));
        }
        if (live.containsValue(WorkflowStatuses.LOST)) {
          out.println(
              "LOST: Temporal no longer knows the run's workflow (its service restarted);"
                  + " 'tunelab resume RUN' continues it from its last checkpoint.");
        }
      }
      out.flush();
      return 0;
    }
  }
}
