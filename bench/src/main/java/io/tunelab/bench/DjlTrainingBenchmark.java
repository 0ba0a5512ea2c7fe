package io.tunelab.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.training.EpochJob;
import io.tunelab.training.EpochOutcome;
import io.tunelab.training.EpochTrainer;
import io.tunelab.training.LiveModel;
import io.tunelab.training.Network;
import io.tunelab.training.OneDnnGuard;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The DJL half of {@code bench/djl-vs-pytorch.sh}: trains tunelab's {@code cnn} ({@link
 * Network#build}) on the first N Fashion-MNIST training images (batch 64, Adam lr 0.001, softmax
 * cross-entropy, shuffled every epoch), one warm-up epoch and then {@code timed} timed epochs, like
 * {@code bench/pytorch_cnn.py} does in PyTorch, two ways:
 *
 * <ul>
 *   <li>the product's training path, {@link EpochTrainer}, each epoch continuing from the model the
 *       epoch before left alive as on a worker (the timed side: {@code RESULT djl});
 *   <li>for information, a plain DJL loop that does per step what the Python side does: converts
 *       the uint8 batch to float in [-1, 1] on the engine, runs forward, loss, backward and the
 *       optimizer step, reads the loss and counts correct predictions ({@code RESULT djl-plain}).
 * </ul>
 *
 * <p>Usage: {@code DjlTrainingBenchmark [N=12800] [timed=2] [idx folder]}; the thread count is set
 * by the caller with {@code -Dai.djl.pytorch.num_threads}. It prints, last, {@code RESULT djl-plain
 * IMAGES_PER_SECOND} and {@code RESULT djl IMAGES_PER_SECOND}, the means of each side's timed
 * epochs.
 */
public final class DjlTrainingBenchmark {
  private static final int BATCH = 64;
  private static final float LEARNING_RATE = 0.001f;
  private static final SampleShape SHAPE = SampleShape.image(1, 28, 28);

  private DjlTrainingBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    OneDnnGuard.apply();
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 12_800;
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path idx = args.length > 2 ? Path.of(args[2]) : FashionMnistFolders.DEFAULT_DIR;
    LabeledImages all = FashionMnistFolders.read(idx, true);
    if (n > all.size()) {
      throw new IllegalArgumentException("only " + all.size() + " training images");
    }
    LabeledImages train =
        new LabeledImages(
            SHAPE, Arrays.copyOf(all.pixels(), n * SHAPE.size()), Arrays.copyOf(all.labels(), n));
    System.out.printf(
        Locale.ROOT,
        "djl: engine %s %s, %s, intra-op threads %s, %d images, batch %d%n",
        Engine.getInstance().getEngineName(),
        Engine.getInstance().getVersion(),
        OneDnnGuard.describe(),
        System.getProperty("ai.djl.pytorch.num_threads", "default"),
        n,
        BATCH);

    double sum = 0;
    Engine.getInstance().setRandomSeed(1);
    Network network = Network.build("cnn", SHAPE, 10);
    try (Model model = Model.newInstance("bench-cnn", Device.cpu())) {
      model.setBlock(network.block());
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(
                  Optimizer.adam().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build())
              .optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(network.batchShape(1));
        for (int epoch = 0; epoch <= timed; epoch++) {
          long start = System.nanoTime();
          double[] lossAcc = epoch(trainer, train, epoch);
          double seconds = (System.nanoTime() - start) / 1e9;
          double rate = n / seconds;
          System.out.printf(
              Locale.ROOT,
              "djl: plain loop epoch %d (%s): %d images in %.2f s = %.0f images/s (loss %.4f,"
                  + " train acc %.4f)%n",
              epoch,
              epoch == 0 ? "warm-up" : "timed",
              n,
              seconds,
              rate,
              lossAcc[0],
              lossAcc[1]);
          if (epoch > 0) {
            sum += rate;
          }
        }
      }
    }
    double plain = sum / timed;

    double product = product(train, all, n, timed);
    System.out.printf(Locale.ROOT, "RESULT djl-plain %.1f%n", plain);
    System.out.printf(Locale.ROOT, "RESULT djl %.1f%n", product);
  }

  /**
   * The product's training path: {@link EpochTrainer} one warm-up epoch, then {@code timed} epochs,
   * each continuing from the model the epoch before left alive, as a worker's epochs do. An epoch's
   * time runs from the call to the end of its last step: the per-epoch set-up (trainer, optimizer,
   * loss) and the training, not the validation pass and checkpoint after it (the PyTorch side has
   * neither); both are printed.
   *
   * @return the mean images/s of the timed epochs
   */
  private static double product(LabeledImages train, LabeledImages all, int n, int timed) {
    TrainingParams params =
        TrainingParams.builder()
            .epochs(timed + 1)
            .batchSize(BATCH)
            .learningRate(LEARNING_RATE)
            .optimizer(io.tunelab.workflows.model.Optimizer.ADAM)
            .seed(1)
            .device(io.tunelab.workflows.model.Device.CPU)
            .build();
    LabeledImages val =
        new LabeledImages(
            SHAPE,
            Arrays.copyOfRange(all.pixels(), n * SHAPE.size(), (n + 256) * SHAPE.size()),
            Arrays.copyOfRange(all.labels(), n, n + 256));
    EpochTrainer trainer = new EpochTrainer();
    byte[] previous = null;
    LiveModel live = null;
    double sum = 0;
    try {
      for (int epoch = 1; epoch <= timed + 1; epoch++) {
        long[] lastStep = new long[1];
        long start = System.nanoTime();
        EpochOutcome outcome =
            trainer.run(
                new EpochJob(
                    "cnn",
                    SHAPE,
                    10,
                    params,
                    epoch,
                    LEARNING_RATE,
                    train,
                    val,
                    previous,
                    null,
                    null,
                    null,
                    null),
                (step, total, loss) -> lastStep[0] = System.nanoTime(),
                null,
                null,
                live,
                true);
        long end = System.nanoTime();
        live = outcome.live();
        previous = outcome.checkpoint();
        double seconds = (lastStep[0] - start) / 1e9;
        double rate = n / seconds;
        System.out.printf(
            Locale.ROOT,
            "djl: EpochTrainer epoch %d (%s): %d images in %.2f s = %.0f images/s (loss %.4f,"
                + " train acc %.4f); then validation and checkpoint %.2f s%n",
            epoch - 1,
            epoch == 1 ? "warm-up" : "timed",
            n,
            seconds,
            rate,
            outcome.metrics().trainLoss(),
            outcome.metrics().trainAcc(),
            (end - lastStep[0]) / 1e9);
        if (epoch > 1) {
          sum += rate;
        }
      }
    } finally {
      if (live != null) {
        live.close();
      }
    }
    return sum / timed;
  }

  private static double[] epoch(Trainer trainer, LabeledImages train, int epoch) {
    int n = train.size();
    int[] order = Shuffle.permutation(n, new Random(1000L + epoch));
    byte[] pixels = train.pixels();
    int per = SHAPE.size();
    double lossSum = 0;
    long correct = 0;
    for (int from = 0; from < n; from += BATCH) {
      int to = Math.min(n, from + BATCH);
      int size = to - from;
      try (NDManager batch = trainer.getManager().newSubManager()) {
        byte[] x = new byte[size * per];
        float[] y = new float[size];
        for (int k = 0; k < size; k++) {
          System.arraycopy(pixels, order[from + k] * per, x, k * per, per);
          y[k] = train.label(order[from + k]);
        }
        // uint8 -> float in [-1, 1] on the engine, as the Python side does.
        NDArray images =
            batch
                .create(ByteBuffer.wrap(x), new Shape(size, 1, 28, 28), DataType.UINT8)
                .toType(DataType.FLOAT32, false)
                .div(127.5f)
                .sub(1f);
        NDArray labels = batch.create(y);
        NDArray logits;
        float loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          logits = trainer.forward(new NDList(images)).singletonOrThrow();
          NDArray lossArray = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
          collector.backward(lossArray);
          loss = lossArray.getFloat();
        }
        trainer.step();
        long[] top = logits.argMax(1).toLongArray();
        for (int k = 0; k < size; k++) {
          if (top[k] == (long) y[k]) {
            correct++;
          }
        }
        lossSum += (double) loss * size;
      }
    }
    return new double[] {lossSum / n, (double) correct / n};
  }
}
