package io.tunelab.training;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.diagnosis.ProbeResults;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Short extra trainings that give the diagnosis its evidence: out-of-sample predictions on every
 * training image (k-fold, for label noise), a linear probe on frozen pretrained features (for
 * domain shift) and the source-task accuracy of a fine-tuned backbone (for forgetting). Each is
 * built from {@link EpochTrainer} epochs, so it is as reproducible as the arms.
 */
public final class Probes {
  /** The linear probe's optimizer, whatever the run's. */
  public static final String PROBE_OPTIMIZER = "adam";

  /** The linear probe's learning rate, whatever the run's. */
  public static final double PROBE_LR = 0.01;

  /** At most this many training samples reach the feature probe. */
  static final int MAX_PROBE_TRAIN = 4_000;

  /** At most this many validation samples judge the feature probe. */
  static final int MAX_PROBE_VAL = 2_000;

  /** The control probe needs at least this many source samples per class to validate on. */
  static final int MIN_CONTROL_VAL = 10;

  private final EpochTrainer trainer;

  public Probes(EpochTrainer trainer) {
    this.trainer = trainer;
  }

  /**
   * What a probe trains.
   *
   * @param architecture network architecture
   * @param shape image shape
   * @param numClasses target classes
   * @param params the fine-tune arm's hyper-parameters
   * @param train training split
   * @param val validation split
   * @param pretrained the pretrained checkpoint the fine-tune arm starts from
   */
  public record Job(
      String architecture,
      SampleShape shape,
      int numClasses,
      TrainingParams params,
      LabeledImages train,
      LabeledImages val,
      byte[] pretrained) {}

  /**
   * What the held-out models of {@link #outOfSample} said.
   *
   * @param probabilities per training image (in split order) the out-of-sample class probabilities
   * @param valErrorRate the fold models' mean error rate on the validation split, or {@code null}
   *     when it is empty
   * @param valImages the validation images behind {@code valErrorRate}
   */
  public record HeldOut(float[][] probabilities, Double valErrorRate, int valImages) {}

  /**
   * Trains {@code folds} models, each on all training images but one fold, for {@code epochs}
   * epochs from the pretrained weights, and predicts the fold it did not see, and the validation
   * split.
   */
  public HeldOut outOfSample(Job job, int folds, int epochs, StepListener listener) {
    LabeledImages train = job.train();
    int[] fold = folds(train, folds, job.params().seed());
    float[][] probabilities = new float[train.size()][];
    double valErrors = 0;
    for (int f = 0; f < folds; f++) {
      List<Integer> in = new ArrayList<>();
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        (fold[i] == f ? out : in).add(i);
      }
      LabeledImages heldOut = subset(train, out);
      List<ModelOutputs> p =
          job.val().size() > 0
              ? fitAndPredict(job, subset(train, in), epochs, listener, heldOut, job.val())
              : fitAndPredict(job, subset(train, in), epochs, listener, heldOut);
      for (int k = 0; k < out.size(); k++) {
        probabilities[out.get(k)] = p.get(0).probabilities(k);
      }
      if (p.size() > 1) {
        valErrors += 1 - p.get(1).acc();
      }
    }
    int valImages = job.val().size();
    return new HeldOut(probabilities, valImages > 0 ? valErrors / folds : null, valImages);
  }

  /**
   * A learning-rate range test: from the pretrained weights, one optimisation step per learning
   * rate on successive batches, the rate growing geometrically from {@code minLr} to {@code maxLr},
   * recording the training loss; it stops early once the loss has blown up (four times its best, or
   * not finite).
   *
   * @return (learning rate, training loss) pairs in increasing rate
   */
  public List<double[]> lrRange(
      Job job, double minLr, double maxLr, int steps, StepListener listener) {
    TrainingParams p = job.params();
    int batch = p.batchSize();
    int available = job.train().size() / batch;
    int n = Math.min(steps, Math.max(2, available));
    TrainingParams params =
        probeParams(p, n, p.optimizer(), p.learningRate(), p.weightDecay(), p.freeze())
            .withBackboneLrFactor(p.backboneLrFactor());
    List<Integer> shuffled = new ArrayList<>();
    for (int i = 0; i < job.train().size(); i++) {
      shuffled.add(i);
    }
    java.util.Collections.shuffle(shuffled, new Random(p.seed() ^ 0x1a2b_3c4dL));
    List<double[]> points = new ArrayList<>();
    LabeledImages check = subset(job.train(), List.of(0));
    double best = Double.POSITIVE_INFINITY;
    try (Chain chain = new Chain()) {
      for (int k = 0; k < n; k++) {
        double lr = minLr * Math.pow(maxLr / minLr, k / (double) Math.max(1, n - 1));
        int from = (k % Math.max(1, available)) * batch;
        List<Integer> slice = shuffled.subList(from, Math.min(shuffled.size(), from + batch));
        EpochOutcome outcome =
            chain.next(job, params, k + 1, lr, subset(job.train(), slice), check, listener);
        double loss = outcome.metrics().trainLoss();
        points.add(new double[] {lr, loss});
        if (outcome.diverged() || !Double.isFinite(loss) || loss > 4 * best) {
          break;
        }
        best = Math.min(best, loss);
      }
    }
    return points;
  }

  /**
   * A linear classifier trained on the frozen pretrained backbone's features with a fixed recipe
   * ({@value #PROBE_OPTIMIZER} at {@value #PROBE_LR}, no weight decay), whatever the run's own
   * optimizer and rate: the probe measures how well the pretrained features fit the target, so a
   * rate that is wrong for the run (too high, say) must not make the features look bad. At most
   * {@value #MAX_PROBE_TRAIN} training and {@value #MAX_PROBE_VAL} validation samples, drawn evenly
   * from the classes.
   */
  public ProbeResults.FeatureProbe linearProbe(Job job, StepListener listener) {
    LabeledImages train = evenSample(job.train(), MAX_PROBE_TRAIN, job.params().seed());
    LabeledImages val = evenSample(job.val(), MAX_PROBE_VAL, job.params().seed());
    return FrozenFeatureProbe.run(
        job.architecture(), job.params(), job.pretrained(), job.numClasses(), train, val, listener);
  }

  /**
   * The probe of {@link #linearProbe} on the source task's own held-out samples, as many per class
   * as the target has (at most half of each source class; the rest validates): what the frozen
   * features reach where nothing has shifted, at the target's sample size. {@code null} when the
   * source has fewer than {@value #MIN_CONTROL_VAL} samples per class to validate on.
   *
   * @param sourceHeldOut the source task's test split
   * @param sourceClasses the source task's number of classes
   */
  public ProbeResults.FeatureProbe controlProbe(
      Job job, LabeledImages sourceHeldOut, int sourceClasses, StepListener listener) {
    int targetPerClass =
        (int) Math.round(Math.min(job.train().size(), MAX_PROBE_TRAIN) / (double) job.numClasses());
    Map<Integer, List<Integer>> byClass = byClass(sourceHeldOut, job.params().seed());
    int smallest = Integer.MAX_VALUE;
    for (int label = 0; label < sourceClasses; label++) {
      smallest = Math.min(smallest, byClass.getOrDefault(label, List.of()).size());
    }
    int perClass = Math.min(Math.max(1, targetPerClass), smallest / 2);
    int valPerClass = Math.min(MAX_PROBE_VAL / sourceClasses, smallest - perClass);
    if (perClass < 1 || valPerClass < MIN_CONTROL_VAL) {
      return null;
    }
    List<Integer> fit = new ArrayList<>();
    List<Integer> check = new ArrayList<>();
    for (int label = 0; label < sourceClasses; label++) {
      List<Integer> members = byClass.get(label);
      fit.addAll(members.subList(0, perClass));
      check.addAll(members.subList(perClass, perClass + valPerClass));
    }
    return FrozenFeatureProbe.run(
        job.architecture(),
        job.params(),
        job.pretrained(),
        sourceClasses,
        subset(sourceHeldOut, fit),
        subset(sourceHeldOut, check),
        listener);
  }

  /** At most {@code max} samples, the same number from each class (seeded), in split order. */
  static LabeledImages evenSample(LabeledImages images, int max, long seed) {
    if (images.size() <= max) {
      return images;
    }
    Map<Integer, List<Integer>> byClass = byClass(images, seed);
    int perClass = Math.max(1, max / byClass.size());
    List<Integer> kept = new ArrayList<>();
    for (List<Integer> members : byClass.values()) {
      kept.addAll(members.subList(0, Math.min(perClass, members.size())));
    }
    java.util.Collections.sort(kept);
    return subset(images, kept);
  }

  /** Each class's sample indices, shuffled with a seed, by label in increasing order. */
  private static Map<Integer, List<Integer>> byClass(LabeledImages images, long seed) {
    Map<Integer, List<Integer>> byClass = new java.util.TreeMap<>();
    for (int i = 0; i < images.size(); i++) {
      byClass.computeIfAbsent(images.label(i), k -> new ArrayList<>()).add(i);
    }
    Random random = new Random(seed ^ 0xc0de_5a3dL);
    for (List<Integer> members : byClass.values()) {
      java.util.Collections.shuffle(members, random);
    }
    return byClass;
  }

  /**
   * Accuracy on the source task's test images of the source model whose backbone was replaced by
   * the fine-tuned one: what fine-tuning left of the source task. Evaluated on {@code device}, the
   * run's.
   */
  public double sourceAccuracy(
      byte[] sourceCheckpoint, byte[] fineTuned, LabeledImages sourceTest, Device device) {
    Checkpoint source = CheckpointCodec.decode(sourceCheckpoint);
    Checkpoint tuned = CheckpointCodec.decode(fineTuned);
    Network network = Network.forCheckpoint(source, null);
    Map<String, Checkpoint.Tensor> parameters = new HashMap<>(source.parameters());
    for (String name : network.backboneParameterNames()) {
      Checkpoint.Tensor t = tuned.parameters().get(name);
      if (t != null) {
        parameters.put(name, t);
      }
    }
    return accuracy(network, parameters, List.of(sourceTest), device)[0];
  }

  /**
   * The pretrained model as it is, head included, on the target's validation samples of the classes
   * its source task shares with the target (by name), and on its own test samples of the same
   * classes; {@code null} when the two share no class or either side has no such sample.
   */
  public ProbeResults.Recognition recognition(
      byte[] sourceCheckpoint,
      List<String> sourceClasses,
      LabeledImages sourceTest,
      List<String> targetClasses,
      LabeledImages targetVal,
      Device device) {
    int[] toSource = new int[targetClasses.size()];
    int shared = 0;
    for (int i = 0; i < toSource.length; i++) {
      toSource[i] = sourceClasses.indexOf(targetClasses.get(i));
      shared += toSource[i] >= 0 ? 1 : 0;
    }
    if (shared == 0) {
      return null;
    }
    int[] identity = new int[sourceClasses.size()];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = targetClasses.contains(sourceClasses.get(i)) ? i : -1;
    }
    LabeledImages target = relabelled(targetVal, toSource);
    LabeledImages source = relabelled(sourceTest, identity);
    if (target.size() == 0 || source.size() == 0) {
      return null;
    }
    Checkpoint checkpoint = CheckpointCodec.decode(sourceCheckpoint);
    Network network = Network.forCheckpoint(checkpoint, null);
    double[] acc = accuracy(network, checkpoint.parameters(), List.of(target, source), device);
    return new ProbeResults.Recognition(acc[0], target.size(), acc[1], source.size(), shared);
  }

  /** At most this many samples of a split are measured by {@link #featureStatistics}. */
  static final int MAX_FEATURE_STATS_SAMPLES = 1_000;

  /**
   * The batch-norm input statistics of the pretrained network ({@link FeatureStatistics}) on the
   * target's training samples and, when there, on the source's own test samples: {target, control},
   * either {@code null} when not measurable (no batch norm, no source samples).
   */
  public ProbeResults.FeatureStats[] featureStatistics(
      byte[] sourceCheckpoint, LabeledImages train, LabeledImages sourceTest, Device device) {
    Checkpoint checkpoint = CheckpointCodec.decode(sourceCheckpoint);
    Network network = Network.forCheckpoint(checkpoint, null);
    return withModel(
        network,
        checkpoint.parameters(),
        device,
        manager ->
            new ProbeResults.FeatureStats[] {
              FeatureStatistics.measure(network, manager, train, MAX_FEATURE_STATS_SAMPLES),
              sourceTest == null
                  ? null
                  : FeatureStatistics.measure(
                      network, manager, sourceTest, MAX_FEATURE_STATS_SAMPLES)
            });
  }

  /** Accuracy of {@code network} with {@code parameters} on each of {@code splits}. */
  private static double[] accuracy(
      Network network,
      Map<String, Checkpoint.Tensor> parameters,
      List<LabeledImages> splits,
      Device device) {
    return withModel(
        network,
        parameters,
        device,
        manager -> {
          double[] acc = new double[splits.size()];
          for (int i = 0; i < acc.length; i++) {
            acc[i] = network.predict(manager, splits.get(i)).acc();
          }
          return acc;
        });
  }

  /** Runs {@code work} on {@code network} loaded with {@code parameters} on {@code device}. */
  private static <T> T withModel(
      Network network,
      Map<String, Checkpoint.Tensor> parameters,
      Device device,
      java.util.function.Function<ai.djl.ndarray.NDManager, T> work) {
    try (Model model = Model.newInstance("tunelab-probe", Devices.resolve(device).device())) {
      model.setBlock(network.block());
      network.block().initialize(model.getNDManager(), DataType.FLOAT32, network.batchShape(1));
      network.load(parameters, false);
      return work.apply(model.getNDManager());
    }
  }

  /**
   * The samples whose label maps to a class ({@code map[label] >= 0}), labelled with that class;
   * the others are left out.
   */
  static LabeledImages relabelled(LabeledImages images, int[] map) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (map[images.label(i)] >= 0) {
        kept.add(i);
      }
    }
    LabeledImages subset = subset(images, kept);
    int[] labels = subset.labels().clone();
    for (int k = 0; k < labels.length; k++) {
      labels[k] = map[labels[k]];
    }
    return subset.shape().kind() == SampleKind.TABLE
        ? LabeledImages.rows(subset.shape(), subset.values(), labels)
        : new LabeledImages(subset.shape(), subset.pixels(), labels);
  }

  /**
   * Trains from the pretrained weights with one rate for every parameter, then predicts {@code
   * splits} with the model as it ends: a probe must adapt to the target as fully as a few epochs
   * allow, or its confident mistakes on a shifted target pass for wrong labels. The epochs run on
   * one live model, validating on a single sample (the predictions come after).
   */
  private List<ModelOutputs> fitAndPredict(
      Job job, LabeledImages fit, int epochs, StepListener listener, LabeledImages... splits) {
    TrainingParams p = job.params();
    TrainingParams params =
        probeParams(p, epochs, p.optimizer(), p.learningRate(), p.weightDecay(), p.freeze());
    LabeledImages check = subset(fit, List.of(0));
    try (Chain chain = new Chain()) {
      for (int epoch = 1; epoch <= epochs; epoch++) {
        EpochOutcome outcome =
            chain.next(job, params, epoch, p.learningRate(), fit, check, listener);
        if (outcome.diverged()) {
          throw new IllegalStateException("probe training diverged in epoch " + epoch);
        }
      }
      List<ModelOutputs> predictions = new ArrayList<>();
      for (LabeledImages split : splits) {
        predictions.add(chain.predict(split));
      }
      return predictions;
    }
  }

  /**
   * Epochs of one probe on one live model ({@link EpochTrainer}'s {@code keep}): each continues the
   * model the last left, without encoding and decoding a checkpoint in between.
   */
  private final class Chain implements AutoCloseable {
    private LiveModel live;
    private byte[] checkpoint;

    EpochOutcome next(
        Job job,
        TrainingParams params,
        int epoch,
        double learningRate,
        LabeledImages fit,
        LabeledImages check,
        StepListener listener) {
      LiveModel from = live;
      live = null;
      EpochOutcome outcome =
          trainer.run(
              epochJob(job, params, epoch, learningRate, fit, check, checkpoint),
              listener,
              null,
              null,
              from,
              true);
      live = outcome.live();
      checkpoint = outcome.checkpoint();
      return outcome;
    }

    /** The live model's outputs for a split. */
    ModelOutputs predict(LabeledImages split) {
      return live.network.predict(live.model.getNDManager(), split);
    }

    @Override
    public void close() {
      if (live != null) {
        live.close();
        live = null;
      }
    }
  }

  /**
   * The parameters of a probe's training: the run's batch size, seed and device, no augmentation,
   * no early stopping and a constant rate.
   */
  private static TrainingParams probeParams(
      TrainingParams p,
      int epochs,
      Optimizer optimizer,
      double learningRate,
      double weightDecay,
      Freeze freeze) {
    return TrainingParams.builder()
        .epochs(epochs)
        .batchSize(p.batchSize())
        .learningRate(learningRate)
        .optimizer(optimizer)
        .weightDecay(weightDecay)
        .freeze(freeze)
        .seed(p.seed())
        .device(p.device())
        .hidden(p.hidden()) // an mlp's layers: the pretrained model's
        .dropout(p.dropout())
        .l2(p.l2())
        .build();
  }

  /** Stratified, seeded fold assignment: each class spread evenly over the folds. */
  static int[] folds(LabeledImages images, int folds, long seed) {
    Map<Integer, List<Integer>> byClass = new HashMap<>();
    for (int i = 0; i < images.size(); i++) {
      byClass.computeIfAbsent(images.label(i), k -> new ArrayList<>()).add(i);
    }
    int[] fold = new int[images.size()];
    Random random = new Random(seed ^ 0x5eed_f01dL);
    byClass.keySet().stream()
        .sorted()
        .forEach(
            label -> {
              List<Integer> members = byClass.get(label);
              java.util.Collections.shuffle(members, random);
              for (int k = 0; k < members.size(); k++) {
                fold[members.get(k)] = k % folds;
              }
            });
    return fold;
  }

  /** The samples at the given indices, in that order. */
  static LabeledImages subset(LabeledImages images, List<Integer> indices) {
    int n = images.shape().size();
    if (images.shape().kind() == SampleKind.TABLE) {
      float[] values = new float[indices.size() * n];
      int[] labels = new int[indices.size()];
      for (int k = 0; k < indices.size(); k++) {
        System.arraycopy(images.values(), indices.get(k) * n, values, k * n, n);
        labels[k] = images.label(indices.get(k));
      }
      return LabeledImages.rows(images.shape(), values, labels);
    }
    byte[] pixels = new byte[indices.size() * n];
    int[] labels = new int[indices.size()];
    for (int k = 0; k < indices.size(); k++) {
      int i = indices.get(k);
      System.arraycopy(images.pixels(), i * n, pixels, k * n, n);
      labels[k] = images.label(i);
    }
    return new LabeledImages(images.shape(), pixels, labels);
  }

  /** An epoch of a probe: the job's model and pretrained start, no augmentation. */
  private static EpochJob epochJob(
      Job job,
      TrainingParams params,
      int epoch,
      double learningRate,
      LabeledImages train,
      LabeledImages val,
      byte[] previous) {
    return new EpochJob(
        job.architecture(),
        job.shape(),
        job.numClasses(),
        params,
        epoch,
        learningRate,
        train,
        val,
        previous,
        job.pretrained(),
        Augmenter.NONE,
        null,
        null);
  }
}
