package io.tunelab.training;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.Manifest;
import io.tunelab.dataset.ManifestEntry;
import io.tunelab.dataset.ShardCache;
import io.tunelab.diagnosis.OutOfSamplePredictions;
import io.tunelab.diagnosis.ProbeResults;
import io.tunelab.progress.Progress;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.table.TableRowsCodec;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.ProbeTask;
import io.tunelab.workflows.model.SampleKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The diagnosis probes of a run, over {@link Probes}: reads the shards, manifest and checkpoints,
 * runs the probes that fit the data's size, and stores {@code out-of-sample.json} and {@code
 * probes.json} for the diagnosis.
 */
public final class ProbeEvidence {
  private static final Logger log = LoggerFactory.getLogger(ProbeEvidence.class);

  /** Above this many training images the k-fold label-noise probe is skipped (too costly). */
  static final int MAX_OUT_OF_SAMPLE_IMAGES = 12_000;

  /**
   * The architectures whose out-of-sample probe is worth its cost: the small cnn of images and the
   * mlp of tables train in seconds; two folds of a resnet or c3d would cost as much as the run.
   */
  static final Set<String> OUT_OF_SAMPLE = Set.of("cnn", Network.MLP);

  static final int FOLDS = 2;
  static final int PROBE_EPOCHS = 3;
  static final int LR_RANGE_STEPS = 30;

  private final ObjectStore store;
  private final ShardCache shards;
  private final Probes probes;
  private final TorchThread torch;

  /** Probes that train and predict on {@code torch}. */
  public ProbeEvidence(ObjectStore store, ShardCache shards, Probes probes, TorchThread torch) {
    this.store = store;
    this.shards = shards;
    this.probes = probes;
    this.torch = torch;
  }

  /**
   * Runs the probes of a run, reporting which one runs to {@code progress} and stopping between
   * steps when it says so; returns what ran, in words.
   */
  public String probe(ProbeTask task, Progress progress) {
    ArmSpec arm = task.finetune();
    if (ArmSpec.TORCHSCRIPT.equals(arm.architecture())) {
      return "none: the probes train the built-in architectures only";
    }
    DatasetRef data = task.dataset();
    ModelInfo model = task.pretrained();
    LabeledImages train = TrainingSplits.read(store, shards, data, "train");
    LabeledImages val = TrainingSplits.read(store, shards, data, "val");
    byte[] pretrained = store.get(arm.initParametersKey());
    Probes.Job job =
        new Probes.Job(
            arm.architecture(),
            data.shape(),
            data.classes().size(),
            arm.params(),
            train,
            val,
            pretrained);
    int epochs = Math.min(PROBE_EPOCHS, arm.params().epochs());
    List<String> ran = new ArrayList<>();
    progress.report("probing");
    StepListener listener = (step, total, loss) -> progress.checkStopped();
    long t0 = System.nanoTime();
    if (train.size() <= MAX_OUT_OF_SAMPLE_IMAGES && OUT_OF_SAMPLE.contains(arm.architecture())) {
      progress.report("out-of-sample predictions (" + FOLDS + " folds)");
      Probes.HeldOut heldOut = torch.call(() -> probes.outOfSample(job, FOLDS, epochs, listener));
      store.put(
          Keys.outOfSample(arm.runId()),
          Json.bytes(
              new OutOfSamplePredictions(
                  trainPaths(data, train.size()),
                  train.labels(),
                  heldOut.probabilities(),
                  heldOut.valErrorRate(),
                  heldOut.valImages())),
          "application/json");
      ran.add("out-of-sample (" + FOLDS + "-fold, " + epochs + " epochs" + since(t0) + ")");
    }
    long t1 = System.nanoTime();
    progress.report("learning-rate range test");
    List<ProbeResults.LrPoint> lrRange = new ArrayList<>();
    for (double[] point :
        torch.call(() -> probes.lrRange(job, 1e-5, 1.0, LR_RANGE_STEPS, listener))) {
      lrRange.add(new ProbeResults.LrPoint(point[0], point[1]));
    }
    ran.add("learning-rate range test (" + lrRange.size() + " steps" + since(t1) + ")");
    long t2 = System.nanoTime();
    progress.report("linear probe");
    ProbeResults.FeatureProbe linear =
        val.size() > 0 ? torch.call(() -> probes.linearProbe(job, listener)) : null;
    if (linear != null) {
      ran.add("linear probe (" + linear.steps() + " steps" + since(t2) + ")");
    }
    long t3 = System.nanoTime();
    Double before = null;
    Double after = null;
    ProbeResults.FeatureProbe control = null;
    LabeledImages sourceTest = sourceTest(model);
    if (sourceTest != null && linear != null) {
      progress.report("linear probe on the source's held-out samples");
      control =
          torch.call(() -> probes.controlProbe(job, sourceTest, model.classes().size(), listener));
      if (control != null) {
        ran.add("control probe (" + control.trainSamples() + " source samples" + since(t3) + ")");
      }
    }
    long t4 = System.nanoTime();
    if (sourceTest != null) {
      progress.report("source-task accuracy");
      try {
        byte[] fineTuned = store.get(task.fineTunedCheckpointKey());
        after =
            torch.call(
                () ->
                    probes.sourceAccuracy(
                        pretrained, fineTuned, sourceTest, job.params().device()));
        before = model.testAccuracy();
        ran.add("forgetting (" + sourceTest.size() + " source samples" + since(t4) + ")");
      } catch (IllegalArgumentException e) {
        // a source model saved by an older tunelab whose head this version builds differently
        log.warn("run {}: no forgetting probe: {}", arm.runId(), e.getMessage());
      }
    }
    ProbeResults.Recognition recognition = null;
    if (sourceTest != null && val.size() > 0) {
      long t5 = System.nanoTime();
      try {
        recognition =
            torch.call(
                () ->
                    probes.recognition(
                        pretrained,
                        model.classes(),
                        sourceTest,
                        data.classes(),
                        val,
                        job.params().device()));
        if (recognition != null) {
          ran.add(
              "recognition (" + recognition.sharedClasses() + " shared classes" + since(t5) + ")");
        }
      } catch (RuntimeException e) {
        // inference only and for one finding: its failure must not lose the other probes' evidence
        log.warn("run {}: no recognition check: {}", arm.runId(), e.toString());
      }
    }
    long t6 = System.nanoTime();
    ProbeResults.FeatureStats[] stats = {null, null};
    try {
      stats =
          torch.call(
              () -> probes.featureStatistics(pretrained, train, sourceTest, job.params().device()));
      if (stats[0] != null) {
        ran.add("feature statistics (" + stats[0].samples() + " samples" + since(t6) + ")");
      }
    } catch (RuntimeException e) {
      log.warn("run {}: no feature statistics: {}", arm.runId(), e.toString());
    }
    store.put(
        Keys.probes(arm.runId()),
        Json.bytes(
            new ProbeResults(
                null,
                linear == null ? null : linear.valAcc(),
                lrRange,
                before,
                after,
                linear,
                control,
                recognition,
                stats[0],
                stats[1])),
        "application/json");
    log.info("probes of run {}: {}", arm.runId(), ran);
    return String.join(", ", ran);
  }

  /** ", N.N s" since {@code start}: each probe's cost, for the log and the activity's result. */
  private static String since(long start) {
    return String.format(java.util.Locale.ROOT, ", %.1f s", (System.nanoTime() - start) / 1e9);
  }

  /**
   * Source path of each training sample, in shard order: a table row's origin ({@code
   * FILE.csv:LINE}) kept in its shard, an image's path from the manifest.
   */
  private String[] trainPaths(DatasetRef data, int size) {
    String[] paths = new String[size];
    if (data.shape().kind() == SampleKind.TABLE) {
      List<String> origins =
          TableRowsCodec.decode(store.get(data.shardKeys().get("train"))).origins();
      for (int i = 0; i < Math.min(size, origins.size()); i++) {
        paths[i] = origins.get(i);
      }
    } else {
      readManifestPaths(data, paths);
    }
    for (int i = 0; i < size; i++) {
      if (paths[i] == null) {
        paths[i] = "train#" + i;
      }
    }
    return paths;
  }

  /** Fills in each training image's path from the manifest. */
  private void readManifestPaths(DatasetRef data, String[] paths) {
    int size = paths.length;
    try {
      Manifest manifest = Manifest.fromJson(store.get(data.manifestKey()));
      for (ManifestEntry e : manifest.images()) {
        if ("train".equals(e.split()) && e.index() >= 0 && e.index() < size) {
          paths[e.index()] = e.path();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("manifest " + data.manifestKey() + " is unreadable", e);
    }
  }

  /** The pretrained model's source test split, when its ingest is still in the bucket. */
  private LabeledImages sourceTest(ModelInfo model) {
    if (model.sourceIngestId() == null) {
      return null;
    }
    try {
      DatasetRef source =
          Json.read(store.get(Keys.ingestRef(model.sourceIngestId())), DatasetRef.class);
      return source.shape().equals(model.shape())
          ? TrainingSplits.read(store, shards, source, "test")
          : null;
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }
}
