package io.tunelab.storage;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.Augment;

/** The object layout in the bucket, in one place. */
public final class Keys {
  private Keys() {}

  public static String ingestPrefix(String ingestId) {
    return "ingests/" + ingestId + "/";
  }

  public static String ingestRef(String ingestId) {
    return ingestPrefix(ingestId) + "ref.json";
  }

  /**
   * The record naming the ingest a source fingerprint (the files' bytes and the options, see {@code
   * Ingestor.fingerprint}) led to; written after that ingest's {@code ref.json}.
   */
  public static String ingestSource(String fingerprint) {
    return "ingest-sources/" + fingerprint + ".json";
  }

  public static String manifest(String ingestId) {
    return ingestPrefix(ingestId) + "manifest.json";
  }

  public static String profile(String ingestId) {
    return ingestPrefix(ingestId) + "profile.json";
  }

  /** The feature scaler of a table ingest (fitted on its training split), as JSON. */
  public static String scaler(String ingestId) {
    return ingestPrefix(ingestId) + "scaler.json";
  }

  public static String shard(String ingestId, String split) {
    return ingestPrefix(ingestId) + "shards/" + split + ".bin";
  }

  /** The preview grid of augmented training images of an ingest, for one policy and seed. */
  public static String augmentedSamples(String ingestId, Augment policy, long seed) {
    return ingestPrefix(ingestId) + "augmented/" + policy + "-seed" + seed + ".png";
  }

  public static String run(String runId) {
    return "runs/" + runId + "/run.json";
  }

  public static String report(String runId) {
    return "runs/" + runId + "/report.json";
  }

  public static String armPrefix(String runId, Arm arm) {
    return "runs/" + runId + "/" + arm + "/";
  }

  public static String checkpoint(String runId, Arm arm, int epoch) {
    return String.format("runs/%s/%s/epoch-%04d/checkpoint.bin", runId, arm, epoch);
  }

  /** The epoch in flight, saved part-way (see {@code TrainingParams.checkpointEverySeconds}). */
  public static String partialCheckpoint(String runId, Arm arm, int epoch) {
    return String.format("runs/%s/%s/epoch-%04d/in-epoch.bin", runId, arm, epoch);
  }

  /** Where the saved epoch in flight is and how far it got, written after it. */
  public static String partialProgress(String runId, Arm arm, int epoch) {
    return String.format("runs/%s/%s/epoch-%04d/in-epoch.json", runId, arm, epoch);
  }

  public static String epochMetrics(String runId, Arm arm, int epoch) {
    return String.format("runs/%s/%s/epoch-%04d/metrics.json", runId, arm, epoch);
  }

  public static String validationPredictions(String runId, String arm, int epoch) {
    return String.format("runs/%s/%s/epoch-%04d/val-predictions.json", runId, arm, epoch);
  }

  public static String outOfSample(String runId) {
    return "runs/" + runId + "/probes/out-of-sample.json";
  }

  public static String probes(String runId) {
    return "runs/" + runId + "/probes/probes.json";
  }

  public static String sourceStats(String name, int version) {
    return modelPrefix(name) + "v" + version + "/source-stats.json";
  }

  public static String latestCheckpoint(String runId, Arm arm) {
    return "runs/" + runId + "/" + arm + "/latest.json";
  }

  public static String predictions(String runId, String arm, String split) {
    return "runs/" + runId + "/" + arm + "/" + split + "-predictions.json";
  }

  public static String modelPrefix(String name) {
    return "models/" + name + "/";
  }

  public static String modelLatest(String name) {
    return modelPrefix(name) + "latest.json";
  }

  public static String modelMeta(String name, int version) {
    return modelPrefix(name) + "v" + version + "/meta.json";
  }

  public static String modelParameters(String name, int version) {
    return modelPrefix(name) + "v" + version + "/checkpoint.bin";
  }

  /**
   * The feature scaler a table model version learned with (its ingest's, copied at registration):
   * whatever it is evaluated on is standardised as its training data was.
   */
  public static String modelScaler(String name, int version) {
    return modelPrefix(name) + "v" + version + "/scaler.json";
  }

  /**
   * A TorchScript archive imported by {@code run --pretrained FILE.pt}, addressed by the SHA-256 of
   * its bytes (lower-case hex), so that importing the same file again uploads nothing. The folder
   * name starts with '_', which no model name can, so it never clashes with a model.
   */
  public static String torchScriptArchive(String sha256) {
    return "models/_torchscript/" + sha256 + ".pt";
  }

  /** Everything of a dataset: {@code datasets/NAME/}; each version is a folder below it. */
  public static String datasetPrefix(String name) {
    return "datasets/" + name + "/";
  }

  /** A version's folder, laid out like a local source folder. */
  public static String datasetVersion(String name, String version) {
    return datasetPrefix(name) + version + "/";
  }

  /** The object that marks a version complete; written last. */
  public static String datasetReady(String name, String version) {
    return datasetVersion(name, version) + READY;
  }

  /** The name of the object that marks a dataset version complete. */
  public static final String READY = "_READY";

  /**
   * A watcher's record of a version it handled: {@code watches/NAME/versions/<version>.json}. Kept
   * apart from {@code datasets/} so that the watcher never writes into a dataset.
   */
  public static String watchedVersion(String name, String version) {
    return watchedVersions(name) + version + ".json";
  }

  /** The prefix of a watcher's records of handled versions. */
  public static String watchedVersions(String name) {
    return "watches/" + name + "/versions/";
  }

  /** The champion of a model: {@code models/NAME/champion.json}. */
  public static String champion(String name) {
    return modelPrefix(name) + "champion.json";
  }

  /** The champion/challenger decision a run led to. */
  public static String championDecision(String name, String runId) {
    return modelPrefix(name) + "decisions/" + runId + ".json";
  }
}
