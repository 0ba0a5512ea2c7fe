package io.tunelab.activities;

import io.tunelab.report.Reports;
import io.tunelab.runs.RunRecords;
import io.tunelab.workflows.activities.ReportActivities;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.TestMetrics;
import java.util.List;

/** Activity adapter over {@link Reports} and {@link RunRecords}. */
public final class ReportActivitiesImpl implements ReportActivities {
  private final Reports reports;
  private final RunRecords records;

  public ReportActivitiesImpl(Reports reports, RunRecords records) {
    this.reports = reports;
    this.records = records;
  }

  @Override
  public Comparison compare(TestMetrics finetune, TestMetrics scratch) {
    return reports.compare(finetune, scratch);
  }

  @Override
  public List<Finding> diagnose(RunState state) {
    return reports.diagnose(state);
  }

  @Override
  public String writeReport(RunState state) {
    return reports.write(state);
  }

  @Override
  public void finishRun(String runId, RunStatus status) {
    records.finish(runId, status);
  }
}
