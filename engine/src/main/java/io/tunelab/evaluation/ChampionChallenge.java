package io.tunelab.evaluation;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.progress.Progress;
import io.tunelab.registry.ModelRegistry;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.training.TorchThread;
import io.tunelab.training.TrainingSplits;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.ChallengeRequest;
import io.tunelab.workflows.model.Champion;
import io.tunelab.workflows.model.ChampionDecision;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.RegisterRequest;
import io.tunelab.workflows.model.SampleKind;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Champion and challenger. The champion of model {@code M} is the version named in {@code
 * models/M/champion.json}. A watched run's best fine-tuned checkpoint challenges it on the run's
 * own test split (the new dataset version's test images): the champion's checkpoint is evaluated on
 * exactly those images, and the challenger is promoted &mdash; registered as the next version of
 * {@code M} (so it is also {@code M}'s latest, the model the next watched run fine-tunes) and named
 * in {@code champion.json} &mdash; only when its test accuracy is strictly higher. The exact
 * McNemar p-value of the paired predictions is recorded with every decision but does not gate it.
 * Without a champion, the challenger becomes champion; so it does when the champion cannot classify
 * the new data (other classes or image shape), since the two cannot be compared and the new data
 * defines the task. Every decision is written to {@code models/M/decisions/<run>.json}, whatever it
 * is.
 */
public final class ChampionChallenge {
  private static final Logger log = LoggerFactory.getLogger(ChampionChallenge.class);

  private final ObjectStore store;
  private final ShardCache shards;
  private final Evaluator evaluator;
  private final ModelRegistry registry;
  private final TorchThread torch;

  /** Challenges whose champions are evaluated on {@code torch}. */
  public ChampionChallenge(
      ObjectStore store, ShardCache shards, Evaluator evaluator, TorchThread torch) {
    this.store = store;
    this.shards = shards;
    this.evaluator = evaluator;
    this.torch = torch;
    this.registry = new ModelRegistry(store);
  }

  /** The champion of a model, if one was ever promoted. */
  public static Optional<Champion> champion(ObjectStore store, String model) {
    try {
      return Optional.of(Json.read(store.get(Keys.champion(model)), Champion.class));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Decides whether the request's challenger replaces the model's champion, once per run: a
   * repeated request returns the decision stored by the first. Reports the champion's evaluation to
   * {@code progress}.
   */
  public ChampionDecision challenge(ChallengeRequest request, Progress progress) {
    String decisionKey = Keys.championDecision(request.model(), request.runId());
    try {
      return Json.read(store.get(decisionKey), ChampionDecision.class); // decided already
    } catch (ObjectNotFoundException e) {
      // first attempt
    }
    DatasetRef data = request.dataset();
    double challengerAcc = request.challenger().acc();
    int testImages = data.size("test");
    Optional<Champion> current = champion(store, request.model());
    ChampionDecision decision;
    if (current.isEmpty()) {
      decision =
          promote(
              request,
              "no champion yet: the first challenger becomes champion",
              testImages,
              null,
              null,
              0,
              0,
              null);
    } else {
      Champion champion = current.get();
      Optional<ModelInfo> info = meta(request.model(), champion.version());
      String incompatible =
          info.isEmpty()
              ? "champion v" + champion.version() + " is missing from the registry"
              : incompatibility(info.get(), data);
      if (incompatible != null) {
        decision =
            promote(
                request,
                "the champion cannot be compared on this data ("
                    + incompatible
                    + "): the challenger becomes champion",
                testImages,
                null,
                null,
                0,
                0,
                champion.version());
      } else {
        decision = compare(request, info.get(), champion, testImages, progress);
      }
    }
    store.put(decisionKey, Json.bytes(decision), "application/json");
    log.info("model {} run {}: {}", request.model(), request.runId(), decision.reason());
    return decision;
  }

  private ChampionDecision compare(
      ChallengeRequest request,
      ModelInfo champion,
      Champion current,
      int testImages,
      Progress progress) {
    DatasetRef data = request.dataset();
    // A table champion sees the test rows standardised as its own training rows were.
    String championScaler = Keys.modelScaler(champion.name(), champion.version());
    LabeledImages test =
        data.shape().kind() == SampleKind.TABLE && store.exists(championScaler)
            ? TrainingSplits.read(store, shards, data, "test", championScaler)
            : TrainingSplits.read(store, shards, data, "test");
    progress.report("evaluating champion v" + champion.version());
    byte[] parameters = store.get(champion.parametersKey());
    Evaluation evaluation =
        torch.call(() -> evaluator.evaluate(parameters, test, request.device()));
    Predictions championPredictions =
        new Predictions(test.labels(), evaluation.predicted(), evaluation.confidence());
    store.put(
        Keys.predictions(request.runId(), "champion", "test"),
        Json.bytes(championPredictions),
        "application/json");
    Predictions challengerPredictions =
        Json.read(store.get(request.challenger().predictionsKey()), Predictions.class);
    Comparison paired = PairedComparison.compare(challengerPredictions, championPredictions);
    double challengerAcc = request.challenger().acc();
    double championAcc = evaluation.acc();
    String numbers =
        String.format(
            Locale.ROOT,
            "challenger %.4f vs champion v%d %.4f on %d test images of %s/%s, McNemar p=%.4g"
                + " (%d only the challenger got right, %d only the champion)",
            challengerAcc,
            champion.version(),
            championAcc,
            testImages,
            request.datasetName(),
            request.datasetVersion(),
            paired.pValue(),
            paired.finetuneOnlyCorrect(),
            paired.scratchOnlyCorrect());
    if (challengerAcc > championAcc) {
      return promote(
          request,
          "challenger is better: " + numbers,
          testImages,
          championAcc,
          paired.pValue(),
          paired.finetuneOnlyCorrect(),
          paired.scratchOnlyCorrect(),
          current.version());
    }
    return new ChampionDecision(
        request.model(),
        request.runId(),
        request.datasetName(),
        request.datasetVersion(),
        false,
        "challenger is not better, champion v" + current.version() + " stays: " + numbers,
        testImages,
        challengerAcc,
        championAcc,
        paired.pValue(),
        paired.finetuneOnlyCorrect(),
        paired.scratchOnlyCorrect(),
        current.version(),
        current.version(),
        Instant.now().toString());
  }

  private ChampionDecision promote(
      ChallengeRequest request,
      String reason,
      int testImages,
      Double championAcc,
      Double pValue,
      int challengerOnly,
      int championOnly,
      Integer previous) {
    DatasetRef data = request.dataset();
    double challengerAcc = request.challenger().acc();
    // Registered once per run, even when an attempt died between registering and deciding.
    ModelInfo registered =
        registry
            .latest(request.model())
            .filter(m -> request.runId().equals(m.sourceRunId()))
            .orElseGet(
                () ->
                    registry.register(
                        new RegisterRequest(
                            request.model(),
                            request.architecture(),
                            data.shape(),
                            data.classes(),
                            request.checkpointKey(),
                            data.ingestId(),
                            challengerAcc,
                            request.runId())));
    Champion champion =
        new Champion(
            request.model(),
            registered.version(),
            request.runId(),
            challengerAcc,
            request.datasetName(),
            request.datasetVersion(),
            Instant.now().toString());
    store.put(Keys.champion(request.model()), Json.bytes(champion), "application/json");
    return new ChampionDecision(
        request.model(),
        request.runId(),
        request.datasetName(),
        request.datasetVersion(),
        true,
        reason,
        testImages,
        challengerAcc,
        championAcc,
        pValue,
        challengerOnly,
        championOnly,
        previous,
        registered.version(),
        champion.promotedAt());
  }

  private Optional<ModelInfo> meta(String model, int version) {
    try {
      return Optional.of(Json.read(store.get(Keys.modelMeta(model, version)), ModelInfo.class));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Why a champion cannot be evaluated on the data, or {@code null} when it can. */
  static String incompatibility(ModelInfo champion, DatasetRef data) {
    if (ArmSpec.TORCHSCRIPT.equals(champion.architecture())) {
      return "it is a TorchScript import";
    }
    if (!champion.classes().equals(data.classes())) {
      return "it classifies " + champion.classes() + ", the data has " + data.classes();
    }
    if (!champion.shape().equals(data.shape())) {
      return "it takes " + champion.shape() + " images, the data has " + data.shape();
    }
    return null;
  }
}
