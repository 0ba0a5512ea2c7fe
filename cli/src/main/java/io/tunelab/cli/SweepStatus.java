package io.tunelab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepMember;
import io.tunelab.workflows.model.SweepSpec;
import io.tunelab.workflows.model.SweepState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a sweep is ({@code tunelab status ID} of a sweep): from its workflow's query while Temporal
 * knows it, else from its members' records in the bucket.
 */
public final class SweepStatus {
  private SweepStatus() {}

  /** The sweep's state now. */
  public static SweepState of(RunRecord record, Services services) {
    Optional<SweepState> live = new Launcher(services).querySweep(record.runId());
    if (live.isPresent()) {
      return live.get();
    }
    SweepSpec spec = record.sweepSpec();
    RunRecords records = new RunRecords(services.store());
    List<SweepState.Member> members = new ArrayList<>();
    for (SweepMember m : spec.members()) {
      RunStatus status = records.find(m.runId()).map(RunRecord::status).orElse(RunStatus.PENDING);
      members.add(new SweepState.Member(m.runId(), m.config(), m.seed(), status));
    }
    String phase =
        "workflow not known to Temporal (service restarted?); last recorded status"
            + (record.status() == RunStatus.RUNNING
                ? "; 'tunelab resume " + record.runId() + "' continues it"
                : "");
    return new SweepState(record.runId(), record.status(), phase, false, members, null, null);
  }

  /** Prints the state: JSON, or a line for the sweep and one per member. */
  public static void print(RunRecord record, SweepState state, boolean json, PrintWriter out) {
    if (json) {
      ObjectNode node = Json.mapper().valueToTree(state);
      node.put("runId", record.runId());
      node.put("kind", "sweep");
      node.put("startedAt", record.startedAt());
      if (record.finishedAt() != null) {
        node.put("finishedAt", record.finishedAt());
      }
      out.println(Json.text(node));
      return;
    }
    out.printf(Locale.ROOT, "%s %s: %s%n", record.runId(), state.status().wire(), state.phase());
    SweepSpec spec = record.sweepSpec();
    for (SweepState.Member m : state.members()) {
      out.printf(
          Locale.ROOT,
          "  %-40s config %d (%s) seed %d: %s%n",
          m.runId(),
          m.config(),
          spec.config(m.config()).label(),
          m.seed(),
          m.status().wire());
    }
    if (state.outcome() != null && state.outcome().headline() != null) {
      out.println(state.outcome().headline());
    }
  }
}
