package io.tunelab.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.diagnosis.ProbeResults;
import io.tunelab.workflows.model.TrainingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A linear classifier trained on the frozen output of a pretrained backbone: what the pretrained
 * features alone can tell apart. The backbone runs once over each split in inference mode and the
 * classifier (flatten, one linear layer) trains on those features with a fixed recipe (Adam at
 * {@value #LR}, batches of {@value #BATCH}, {@value #MIN_STEPS} steps or five passes over the
 * samples, whichever is more, stopping once {@value #PATIENCE_STEPS} steps bring no better
 * validation accuracy), so the probe converges on a few dozen samples as on thousands. It is linear
 * whatever the architecture's own head (the cnn's has a hidden layer of 128): a linear layer on the
 * features converges in a few dozen steps at a tenth of the hidden layer's cost per step, and the
 * control probe it is compared with is trained the same way.
 */
final class FrozenFeatureProbe {
  static final float LR = (float) Probes.PROBE_LR;
  static final int BATCH = 64;
  static final int MIN_STEPS = 200;
  static final int MAX_STEPS = 1_000;

  /** Passes over the training samples, when that takes more than {@link #MIN_STEPS} steps. */
  static final int PASSES = 5;

  /** Steps without a better validation accuracy after which the probe stops. */
  static final int PATIENCE_STEPS = 75;

  private FrozenFeatureProbe() {}

  /**
   * Trains a linear classifier for {@code numClasses} classes on the backbone of {@code
   * pretrained}.
   *
   * @param architecture the built-in architecture of the pretrained checkpoint
   * @param params the run's parameters (seed, device, an mlp's layers)
   * @param listener called after every step (it may stop the probe by throwing)
   */
  static ProbeResults.FeatureProbe run(
      String architecture,
      TrainingParams params,
      byte[] pretrained,
      int numClasses,
      LabeledImages train,
      LabeledImages val,
      StepListener listener) {
    if (train.size() == 0 || val.size() == 0) {
      throw new IllegalArgumentException(
          "a feature probe needs training and validation samples: "
              + train.size()
              + ", "
              + val.size());
    }
    StepListener steps = listener == null ? StepListener.NONE : listener;
    Checkpoint saved = CheckpointCodec.decode(pretrained);
    Network network = Network.build(architecture, train.shape(), numClasses, params);
    ai.djl.Device device = Devices.resolve(params.device()).device();
    try (Model backboneModel = Model.newInstance("tunelab-probe-features", device);
        Model headModel = Model.newInstance("tunelab-probe-head", device)) {
      NDManager manager = backboneModel.getNDManager();
      network.backbone().initialize(manager, DataType.FLOAT32, network.batchShape(1));
      network.load(saved.parameters(), true);
      NDArray trainFeatures = features(network, manager, train);
      NDArray valFeatures = features(network, manager, val);
      Block head = linearHead(numClasses);
      headModel.setBlock(head);
      Engine.getInstance().setRandomSeed(Seeds.initSeed(params.seed()));
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR)).build();
      try (Trainer trainer =
          headModel.newTrainer(
              new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                  .optOptimizer(adam)
                  .optDevices(new ai.djl.Device[] {device}))) {
        Shape one = new Shape(1).addAll(trainFeatures.getShape().slice(1));
        trainer.initialize(one);
        return train(
            trainer, head, numClasses, trainFeatures, train, valFeatures, val, params, steps);
      }
    }
  }

  /** Flatten and one linear layer: a linear classifier on the features. */
  static Block linearHead(int numClasses) {
    return new SequentialBlock()
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(numClasses).build());
  }

  private static ProbeResults.FeatureProbe train(
      Trainer trainer,
      Block head,
      int numClasses,
      NDArray trainFeatures,
      LabeledImages train,
      NDArray valFeatures,
      LabeledImages val,
      TrainingParams params,
      StepListener listener) {
    NDManager manager = trainer.getManager();
    int n = train.size();
    int perEpoch = (n + BATCH - 1) / BATCH;
    int maxSteps = Math.max(MIN_STEPS, Math.min(MAX_STEPS, PASSES * perEpoch));
    // Validate once per pass over the data, but every 25 to 50 steps whatever its size.
    int every = Math.max(25, Math.min(perEpoch, 50));
    Random random = new Random(Seeds.orderSeed(params.seed(), 0) ^ 0x9b0be5L);
    int[] order = permutation(n, random);
    NDArray labels = manager.create(floatLabels(train));
    double best = -1;
    int bestStep = 0;
    int step = 0;
    int position = 0;
    while (step < maxSteps && step - bestStep < PATIENCE_STEPS) {
      if (position >= n) {
        order = permutation(n, random);
        position = 0;
      }
      int to = Math.min(n, position + BATCH);
      try (NDManager batch = manager.newSubManager()) {
        NDArray index = batch.create(slice(order, position, to));
        NDArray x = trainFeatures.get(index);
        NDArray y = labels.get(index);
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDList out = trainer.forward(new NDList(x));
          NDArray loss = trainer.getLoss().evaluate(new NDList(y), out);
          collector.backward(loss);
        }
        trainer.step();
      }
      position = to;
      step++;
      listener.onStep(step, maxSteps, Double.NaN);
      if (step % every == 0 || step == maxSteps) {
        double acc = accuracy(head, manager, valFeatures, val);
        if (acc > best) {
          best = acc;
          bestStep = step;
        }
      }
    }
    return new ProbeResults.FeatureProbe(best, n, val.size(), numClasses, step);
  }

  /** The backbone's output for every sample of a split, in inference mode, in split order. */
  static NDArray features(Network network, NDManager manager, LabeledImages split) {
    return Predictor.withoutGrad(
        () -> {
          ParameterStore store = new ParameterStore(manager, false);
          List<NDArray> parts = new ArrayList<>();
          for (int from = 0; from < split.size(); from += Network.EVAL_BATCH) {
            int to = Math.min(split.size(), from + Network.EVAL_BATCH);
            try (NDManager batch = manager.newSubManager()) {
              NDArray x = Predictor.inputs(batch, network, split, from, to);
              NDArray f =
                  network.backbone().forward(store, new NDList(x), false).singletonOrThrow();
              f.attach(manager);
              parts.add(f);
            }
          }
          return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts));
        });
  }

  /** The head's accuracy on features, in inference mode. */
  private static double accuracy(
      Block head, NDManager manager, NDArray features, LabeledImages split) {
    return Predictor.withoutGrad(
        () -> {
          try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            int correct = 0;
            for (int from = 0; from < split.size(); from += Network.EVAL_BATCH) {
              int to = Math.min(split.size(), from + Network.EVAL_BATCH);
              NDArray logits =
                  head.forward(store, new NDList(features.get(from + ":" + to)), false)
                      .singletonOrThrow();
              long[] predicted = logits.argMax(1).toType(DataType.INT64, false).toLongArray();
              for (int k = 0; k < predicted.length; k++) {
                correct += predicted[k] == split.label(from + k) ? 1 : 0;
              }
            }
            return (double) correct / split.size();
          }
        });
  }

  private static float[] floatLabels(LabeledImages split) {
    float[] labels = new float[split.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = split.label(i);
    }
    return labels;
  }

  private static long[] slice(int[] order, int from, int to) {
    long[] out = new long[to - from];
    for (int k = 0; k < out.length; k++) {
      out[k] = order[from + k];
    }
    return out;
  }

  private static int[] permutation(int n, Random random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
