package io.tunelab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tunelab.workflows.model.ChallengeRequest;
import io.tunelab.workflows.model.ChampionDecision;

/** Champion and challenger; runs on the training queue (it evaluates a model). */
@ActivityInterface
public interface ChampionActivities {
  /**
   * Evaluates the champion on the challenger's test split, promotes the challenger when it is
   * better (or when there is no champion yet), and records the decision. Idempotent per run.
   */
  @ActivityMethod
  ChampionDecision challenge(ChallengeRequest request);
}
