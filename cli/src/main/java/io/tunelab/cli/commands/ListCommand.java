package io.tunelab.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.cli.Services;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.workflows.model.RunRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
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
      if (json) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (RunRecord r : runs) {
          ObjectNode node = array.addObject();
          node.put("runId", r.runId());
          node.put("kind", r.kind());
          node.put("status", r.status());
          node.put("dataset", r.dataset());
          node.put("datasetVersion", r.datasetVersion());
          node.put("trigger", r.trigger());
          node.put("startedAt", r.startedAt());
          node.put("finishedAt", r.finishedAt());
        }
        out.println(Json.text(array));
      } else {
        out.printf(Locale.ROOT, "%-40s %-10s %-10s %-7s %-24s %s%n", "RUN", "KIND", "STATUS",
            "TRIGGER", "STARTED", "DATASET");
        for (RunRecord r : runs) {
          out.printf(Locale.ROOT, "%-40s %-10s %-10s %-7s %-24s %s%n", r.runId(), r.kind(),
              r.status(), r.trigger(), r.startedAt(), r.dataset()
                  + (r.datasetVersion() == null ? "" : " " + r.datasetVersion()));
        }
      }
      out.flush();
      return 0;
    }
  }
}
