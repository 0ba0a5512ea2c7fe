package io.tunelab.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.cli.Launcher;
import io.tunelab.cli.Services;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.report.ReportRenderer;
import io.tunelab.report.Reports;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.sweep.SweepRenderer;
import io.tunelab.sweep.SweepReports;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tunelab report RUN}: the report, also while the run is going. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Prints a run's report (JSON by default); works while the run is going.")
public final class ReportCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "Run id.")
  String runId;

  @Option(
      names = "--format",
      paramLabel = "json|md|html",
      defaultValue = "json",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout.")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("json") && !format.equals("md") && !format.equals("html")) {
      throw new UsageException("--format must be one of json|md|html: " + format);
    }
    try (Services services = new Services(connection)) {
      Optional<RunRecord> record = new RunRecords(services.store()).find(runId);
      if (record.isPresent() && record.get().sweepSpec() != null) {
        return print(sweepReport(record.get(), services));
      }
      JsonNode report = load(services);
      String text =
          switch (format) {
            case "md" -> new ReportRenderer().markdown(report);
            case "html" -> new ReportRenderer().html(report, key -> object(services, key));
            default -> Json.text(report) + "\n";
          };
      return print(text);
    }
  }

  private int print(String text) throws IOException {
    if (out != null) {
      Files.writeString(out, text, StandardCharsets.UTF_8);
      spec.commandLine().getErr().println("wrote " + out);
    } else {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  /**
   * A sweep's report in the chosen format: built from its members as they stand while it runs (a
   * running member's report from its workflow), else the stored one.
   */
  private String sweepReport(RunRecord record, Services services) {
    Launcher launcher = new Launcher(services);
    Optional<SweepState> live = launcher.querySweep(runId);
    JsonNode report;
    if (live.isPresent() && live.get().status() == RunStatus.RUNNING) {
      Reports reports = new Reports(services.store());
      report =
          new SweepReports(services.store())
              .build(
                  record.sweepSpec(),
                  RunStatus.RUNNING,
                  member -> launcher.query(member).map(s -> (JsonNode) reports.build(s)));
    } else {
      try {
        report = Json.tree(services.store().get(Keys.report(runId)));
      } catch (ObjectNotFoundException e) {
        report =
            new SweepReports(services.store())
                .build(record.sweepSpec(), record.status(), member -> Optional.empty());
      }
    }
    return switch (format) {
      case "md" -> new SweepRenderer().markdown(report);
      case "html" -> new SweepRenderer().html(report);
      default -> Json.text(report) + "\n";
    };
  }

  /** An object of the bucket, or {@code null} when it is gone: the page is shown without it. */
  private static byte[] object(Services services, String key) {
    try {
      return services.store().get(key);
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }

  private JsonNode load(Services services) {
    Optional<RunState> state = new Launcher(services).query(runId);
    if (state.isPresent() && state.get().status() == RunStatus.RUNNING) {
      return new Reports(services.store()).build(state.get());
    }
    try {
      return Json.tree(services.store().get(Keys.report(runId)));
    } catch (ObjectNotFoundException e) {
      if (state.isPresent()) {
        return new Reports(services.store()).build(state.get());
      }
      throw new UsageException("no run named '" + runId + "' (see 'tunelab list')");
    }
  }
}
