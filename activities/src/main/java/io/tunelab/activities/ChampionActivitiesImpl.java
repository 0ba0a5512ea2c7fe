package io.tunelab.activities;

import io.temporal.activity.Activity;
import io.tunelab.evaluation.ChampionChallenge;
import io.tunelab.workflows.activities.ChampionActivities;
import io.tunelab.workflows.model.ChallengeRequest;
import io.tunelab.workflows.model.ChampionDecision;

/** Activity adapter over {@link ChampionChallenge}, heartbeating the champion's evaluation. */
public final class ChampionActivitiesImpl implements ChampionActivities {
  private final ChampionChallenge challenge;

  public ChampionActivitiesImpl(ChampionChallenge challenge) {
    this.challenge = challenge;
  }

  @Override
  public ChampionDecision challenge(ChallengeRequest request) {
    try (Heartbeats heartbeats =
        Heartbeats.start(Activity.getExecutionContext(), Heartbeats.PERIOD, null)) {
      return challenge.challenge(request, heartbeats);
    }
  }
}
