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
import io.tunelab.training.Network;
import io.tunelab.training.OneDnnGuard;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The DJL half of {@code bench/c3d-vs-pytorch.sh}: trains tunelab's {@code c3d} ({@link
 * Network#build}) on N generated clips of 1×16×32×32 (a bright square moving right, left or down
 * over noise: the motion is the class) with a plain DJL loop — batch 16, Adam lr 0.001, softmax
 * cross-entropy, shuffled every epoch, one warm-up epoch then {@code timed} timed epochs — exactly
 * as {@code bench/pytorch_c3d.py} does in PyTorch on the same clips, which this class writes to
 * {@code clips.u8} and {@code labels.u8} in the given folder first.
 *
 * <p>Usage: {@code C3dTrainingBenchmark [N=512] [timed=2] [folder]}; threads are set by the caller
 * with {@code -Dai.djl.pytorch.num_threads}. Last line: {@code RESULT djl CLIPS_PER_SECOND}.
 */
public final class C3dTrainingBenchmark {
  static final SampleShape SHAPE = SampleShape.clip(1, 16, 32, 32);
  private static final int BATCH = 16;
  private static final int CLASSES = 3;
  private static final float LEARNING_RATE = 0.001f;

  private C3dTrainingBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    OneDnnGuard.apply();
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 512;
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path folder = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("c3d-bench");
    byte[] labels = new byte[n];
    byte[] clips = clips(n, labels, new Random(1));
    Files.write(folder.resolve("clips.u8"), clips);
    Files.write(folder.resolve("labels.u8"), labels);
    System.out.printf(
        Locale.ROOT,
        "djl: engine %s %s, intra-op threads %s, %d clips of %s, batch %d%n",
        Engine.getInstance().getEngineName(),
        Engine.getInstance().getVersion(),
        System.getProperty("ai.djl.pytorch.num_threads", "default"),
        n,
        SHAPE,
        BATCH);
    double sum = 0;
    Engine.getInstance().setRandomSeed(1);
    Network network = Network.build("c3d", SHAPE, CLASSES);
    try (Model model = Model.newInstance("bench-c3d", Device.cpu())) {
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
          double[] lossAcc = epoch(trainer, clips, labels, n, epoch);
          double seconds = (System.nanoTime() - start) / 1e9;
          double rate = n / seconds;
          System.out.printf(
              Locale.ROOT,
              "djl: epoch %d (%s): %d clips in %.2f s = %.1f clips/s (loss %.4f, train acc %.4f)%n",
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
    System.out.printf(Locale.ROOT, "RESULT djl %.2f%n", sum / timed);
  }

  /** {@code n} clips, class {@code i % 3}: a 3×3 square moving right, left or down. */
  static byte[] clips(int n, byte[] labels, Random random) {
    int t = SHAPE.frames();
    int h = SHAPE.height();
    int w = SHAPE.width();
    byte[] pixels = new byte[n * SHAPE.size()];
    for (int i = 0; i < n; i++) {
      int label = i % CLASSES;
      labels[i] = (byte) label;
      int x = 4 + random.nextInt(w - 8);
      int y = 4 + random.nextInt(h - 8);
      int base = i * SHAPE.size();
      for (int p = 0; p < SHAPE.size(); p++) {
        pixels[base + p] = (byte) random.nextInt(40);
      }
      for (int f = 0; f < t; f++) {
        int dx = label == 0 ? f / 2 : label == 1 ? -f / 2 : 0;
        int dy = label == 2 ? f / 2 : 0;
        for (int yy = -1; yy <= 1; yy++) {
          for (int xx = -1; xx <= 1; xx++) {
            int px = Math.floorMod(x + dx + xx, w);
            int py = Math.floorMod(y + dy + yy, h);
            pixels[base + (f * h + py) * w + px] = (byte) 230;
          }
        }
      }
    }
    return pixels;
  }

  private static double[] epoch(Trainer trainer, byte[] clips, byte[] labels, int n, int epoch) {
    int[] order = Shuffle.permutation(n, new Random(1000L + epoch));
    int per = SHAPE.size();
    double lossSum = 0;
    long correct = 0;
    for (int from = 0; from < n; from += BATCH) {
      int size = Math.min(n, from + BATCH) - from;
      try (NDManager batch = trainer.getManager().newSubManager()) {
        byte[] x = new byte[size * per];
        float[] y = new float[size];
        for (int k = 0; k < size; k++) {
          System.arraycopy(clips, order[from + k] * per, x, k * per, per);
          y[k] = labels[order[from + k]];
        }
        // uint8 -> float in [-1, 1] on the engine, as the Python side does.
        NDArray input =
            batch
                .create(
                    ByteBuffer.wrap(x),
                    new Shape(size, 1, SHAPE.frames(), SHAPE.height(), SHAPE.width()),
                    DataType.UINT8)
                .toType(DataType.FLOAT32, false)
                .div(127.5f)
                .sub(1f);
        NDArray target = batch.create(y);
        NDArray logits;
        float loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          logits = trainer.forward(new NDList(input)).singletonOrThrow();
          NDArray lossArray = trainer.getLoss().evaluate(new NDList(target), new NDList(logits));
          collector.backward(lossArray);
          loss = lossArray.getFloat();
        }
        trainer.step();
        long[] top = logits.argMax(1).toLongArray();
        for (int k = 0; k < size; k++) {
          correct += top[k] == (long) y[k] ? 1 : 0;
        }
        lossSum += (double) loss * size;
      }
    }
    return new double[] {lossSum / n, (double) correct / n};
  }
}
