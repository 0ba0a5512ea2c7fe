package io.tunelab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.TestMetrics;
import java.util.List;

/** Comparison, diagnosis, the report and the run's record in the bucket. */
@ActivityInterface
public interface ReportActivities {
  /** Paired comparison of both arms' test predictions. */
  @ActivityMethod
  Comparison compare(TestMetrics finetune, TestMetrics scratch);

  /** Diagnoses the run's curves and data. */
  @ActivityMethod
  List<Finding> diagnose(RunState state);

  /** Writes the report JSON and returns its key. */
  @ActivityMethod
  String writeReport(RunState state);

  /** Records the run's final status in its {@code run.json}. */
  @ActivityMethod
  void finishRun(String runId, RunStatus status);
}
