package io.tunelab.activities;

import io.temporal.activity.Activity;
import io.tunelab.training.ProbeEvidence;
import io.tunelab.workflows.activities.ProbeActivities;
import io.tunelab.workflows.model.ProbeTask;

/** Activity adapter over {@link ProbeEvidence}, heartbeating the probe that runs. */
public final class ProbeActivitiesImpl implements ProbeActivities {
  private final ProbeEvidence evidence;

  public ProbeActivitiesImpl(ProbeEvidence evidence) {
    this.evidence = evidence;
  }

  @Override
  public String probe(ProbeTask task) {
    try (Heartbeats heartbeats =
        Heartbeats.start(Activity.getExecutionContext(), Heartbeats.PERIOD, null)) {
      return evidence.probe(task, heartbeats);
    }
  }
}
