package io.tunelab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tunelab.workflows.model.ProbeTask;

/** Short extra trainings whose results the diagnosis reads; they run on the training queue. */
@ActivityInterface
public interface ProbeActivities {
  /** Runs the probes and stores their results in the bucket; returns what ran, in words. */
  @ActivityMethod
  String probe(ProbeTask task);
}
