package io.tunelab.workflows;

import io.temporal.workflow.Workflow;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.EpochMetrics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps a running workflow legible in Temporal's UI as its arms progress: the workflow's current
 * details (one line per arm: epoch, validation accuracy, best so far) and, where the run started
 * with tunelab's search attributes, the best validation accuracy per arm as a search attribute. The
 * upserts are commands: workflows recorded before them replay without (see {@link
 * Visibility#CHANGE_ID}).
 */
final class VisibilityUpdates {
  private final boolean upsert;
  private final Map<Arm, String> lines = new LinkedHashMap<>();
  private final Map<Arm, Double> upserted = new HashMap<>();

  private VisibilityUpdates(boolean upsert) {
    this.upsert = upsert;
  }

  /** Decides, once per run and deterministically, whether this run upserts its accuracies. */
  static VisibilityUpdates start() {
    int version = Workflow.getVersion(Visibility.CHANGE_ID, Workflow.DEFAULT_VERSION, 1);
    boolean started = Workflow.getTypedSearchAttributes().containsKey(Visibility.KIND);
    return new VisibilityUpdates(version >= 1 && started);
  }

  /** Shows an arm's new state. */
  void armUpdated(ArmResult arm, int epochs) {
    double best = Visibility.bestValAcc(arm.epochs());
    String line = arm.arm() + ": " + arm.status() + ", epoch " + arm.trainedEpochs() + "/" + epochs;
    if (!arm.epochs().isEmpty()) {
      EpochMetrics last = arm.epochs().get(arm.epochs().size() - 1);
      line += String.format(Locale.ROOT, ", val_acc %.3f, best %.3f", last.valAcc(), best);
    }
    if (arm.stoppedEarly()) {
      line += ", stopped early";
    }
    lines.put(arm.arm(), line);
    Workflow.setCurrentDetails(String.join("\n", lines.values()));
    if (upsert && Double.isFinite(best) && !Double.valueOf(best).equals(upserted.get(arm.arm()))) {
      upserted.put(arm.arm(), best);
      Workflow.upsertTypedSearchAttributes(Visibility.bestValAcc(arm.arm()).valueSet(best));
    }
  }
}
