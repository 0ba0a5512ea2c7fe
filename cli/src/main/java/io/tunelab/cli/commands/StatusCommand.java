package io.tunelab.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.cli.Launcher;
import io.tunelab.cli.Services;
import io.tunelab.cli.SweepStatus;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tunelab status RUN}: where a run is. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Shows a run's status and progress.")
public final class StatusCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "Run id.")
  String runId;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Services services = new Services(connection)) {
      Optional<RunRecord> record = new RunRecords(services.store()).find(runId);
      if (record.isPresent() && record.get().sweepSpec() != null) {
        SweepStatus.print(record.get(), SweepStatus.of(record.get(), services), json, out);
        out.flush();
        return 0;
      }
      Optional<RunState> state = new Launcher(services).query(runId);
      if (state.isEmpty() && record.isEmpty()) {
        throw new UsageException("no run named '" + runId + "' (see 'tunelab list')");
      }
      ObjectNode node = Json.mapper().createObjectNode();
      node.put("runId", runId);
      if (state.isPresent()) {
        RunState s = state.get();
        node.put("status", s.status().wire());
        node.put("phase", s.phase());
        ObjectNode arms = node.putObject("arms");
        Integer budget =
            record
                .map(
                    r ->
                        r.experiment() != null
                            ? r.experiment().finetune()
                            : r.pretrain() != null ? r.pretrain().params() : null)
                .map(p -> p.epochs())
                .orElse(null);
        for (ArmResult arm : s.arms().values()) {
          ObjectNode a = arms.putObject(arm.arm().wire());
          a.put("status", arm.status().wire());
          a.put("epochs", arm.trainedEpochs());
          if (budget != null) {
            a.put("maxEpochs", budget);
          }
          a.put("bestEpoch", arm.bestEpoch());
          a.put("stoppedEarly", arm.stoppedEarly());
          if (!arm.epochs().isEmpty()) {
            a.put("valLoss", arm.epochs().get(arm.epochs().size() - 1).valLoss());
            a.put("valAcc", arm.epochs().get(arm.epochs().size() - 1).valAcc());
          }
          if (arm.test() != null) {
            a.put("testAcc", arm.test().acc());
          }
        }
        if (s.error() != null) {
          node.put("error", s.error());
        }
      } else {
        node.put("status", record.get().status().wire());
        node.put(
            "phase",
            "workflow not known to Temporal (service restarted?); last recorded status"
                + (record.get().status() == RunStatus.RUNNING
                    ? "; 'tunelab resume " + runId + "' continues it from its last checkpoint"
                    : ""));
      }
      record.ifPresent(
          r -> {
            node.put("kind", r.kind());
            node.put("startedAt", r.startedAt());
            if (r.finishedAt() != null) {
              node.put("finishedAt", r.finishedAt());
            }
          });
      if (json) {
        out.println(Json.text(node));
      } else {
        out.printf(
            Locale.ROOT,
            "%s %s: %s%n",
            runId,
            node.path("status").asText(),
            node.path("phase").asText());
        node.path("arms")
            .fields()
            .forEachRemaining(
                e ->
                    out.printf(
                        Locale.ROOT,
                        "  %-8s %s, %d%s epochs%s, best epoch %d%s%s%n",
                        e.getKey(),
                        e.getValue().path("status").asText(),
                        e.getValue().path("epochs").asInt(),
                        e.getValue().has("maxEpochs")
                            ? " of " + e.getValue().path("maxEpochs").asInt()
                            : "",
                        e.getValue().path("valLoss").isNumber()
                            ? String.format(
                                Locale.ROOT,
                                " (last: val loss %.4f, val acc %.4f)",
                                e.getValue().path("valLoss").asDouble(),
                                e.getValue().path("valAcc").asDouble())
                            : "",
                        e.getValue().path("bestEpoch").asInt(),
                        e.getValue().path("stoppedEarly").asBoolean() ? ", stopped early" : "",
                        e.getValue().has("testAcc")
                            ? String.format(
                                Locale.ROOT,
                                ", test acc %.4f",
                                e.getValue().path("testAcc").asDouble())
                            : ""));
      }
      out.flush();
      return 0;
    }
  }
}
