package io.tunelab.bench;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.training.Devices;
import io.tunelab.training.EpochJob;
import io.tunelab.training.EpochOutcome;
import io.tunelab.training.EpochTrainer;
import io.tunelab.training.OneDnnGuard;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Java half of {@code bench/gpu-check.sh}: proves that this machine's tunelab trains on a GPU.
 * It says which libtorch the engine loaded and how many GPUs it sees; with none it explains why and
 * exits 2 before reading any data. With one it trains tunelab's {@code cnn} for one epoch on the
 * first N Fashion-MNIST images with the product's {@link EpochTrainer} on {@code gpu}, then the
 * same epoch on {@code cpu}, and prints both throughputs and their ratio.
 *
 * <p>Usage: {@code GpuCheck [N=12800] [idx folder]}. Last line: {@code gpu-check: ratio X (gpu/cpu
 * images per second)}. Exit 0 when the GPU epoch ran on the GPU and learned something (validation
 * accuracy above chance), 1 when it did not, 2 when there is no GPU.
 */
public final class GpuCheck {
  private static final int BATCH = 64;
  private static final SampleShape SHAPE = SampleShape.image(1, 28, 28);

  /** Whether every check so far passed. */
  private static boolean passed = true;

  private GpuCheck() {}

  public static void main(String[] args) throws IOException {
    OneDnnGuard.apply();
    Engine engine;
    try {
      engine = Engine.getInstance();
    } catch (EngineException e) {
      // e.g. PYTORCH_FLAVOR=cu128 over a CPU libtorch: "libc10_cuda.so: cannot open shared object"
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.out.println("gpu-check: libtorch did not load: " + cause.getMessage());
      System.out.println(
          "  PYTORCH_LIBRARY_PATH must hold a libtorch 2.7.1 of the flavour PYTORCH_FLAVOR names"
              + " (cu128: the CUDA 12.8 build, whose libraries need the NVIDIA driver).");
      System.exit(1);
      return;
    }
    String library = System.getenv().getOrDefault("PYTORCH_LIBRARY_PATH", "(the jar's own)");
    System.out.printf(
        Locale.ROOT,
        "gpu-check: engine %s %s, libtorch from %s, flavour %s, GPUs seen: %d%n",
        engine.getEngineName(),
        engine.getVersion(),
        library,
        System.getenv().getOrDefault("PYTORCH_FLAVOR", "(the jar's: cpu unless built for cu128)"),
        engine.getGpuCount());
    Devices.Choice gpu = Devices.resolve(Device.GPU);
    // GPU_CHECK_DRY_RUN=1 runs the whole check with the "gpu" epoch on the CPU, to test the
    // script on a machine without a GPU; it still exits 2 (no GPU proven)
    boolean dryRun = "1".equals(System.getenv("GPU_CHECK_DRY_RUN"));
    if (gpu.fellBack() && !dryRun) {
      System.out.println(
          "gpu-check: NO GPU: the "
              + engine.getEngineName()
              + " engine sees no CUDA device (a CPU-only libtorch, no NVIDIA GPU or no driver).");
      System.out.println(
          "  This machine cannot serve --device gpu runs. On a machine with an NVIDIA GPU and"
              + " driver, point PYTORCH_LIBRARY_PATH at a CUDA 12.8 libtorch 2.7.1 (its lib/"
              + " folder) and set PYTORCH_FLAVOR=cu128 PYTORCH_VERSION=2.7.1"
              + " (docs/operations.md, 'GPUs').");
      System.exit(2);
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 12_800;
    Path idx = args.length > 1 ? Path.of(args[1]) : FashionMnistFolders.DEFAULT_DIR;
    if (!Files.isDirectory(idx)) {
      System.out.println(
          "gpu-check: Fashion-MNIST idx files not found in "
              + idx
              + " (apt-get install dataset-fashion-mnist, or pass the folder)");
      System.exit(1);
    }
    LabeledImages all = FashionMnistFolders.read(idx, true);
    int total = Math.min(n + 1024, all.size());
    LabeledImages train = slice(all, 0, total - 1024);
    LabeledImages val = slice(all, total - 1024, total);
    if (dryRun) {
      System.out.println("gpu-check: DRY RUN: the 'gpu' epoch runs on the CPU; nothing is proven");
    }
    double gpuRate = epoch(dryRun ? Device.CPU : Device.GPU, train, val);
    double cpuRate = epoch(Device.CPU, train, val);
    System.out.printf(
        Locale.ROOT, "gpu-check: ratio %.2f (gpu/cpu images per second)%n", gpuRate / cpuRate);
    System.exit(dryRun ? 2 : passed ? 0 : 1);
  }

  /** One epoch on {@code device}, timed from its second step to its last; images per second. */
  private static double epoch(Device device, LabeledImages train, LabeledImages val) {
    TrainingParams params =
        TrainingParams.builder()
            .epochs(1)
            .batchSize(BATCH)
            .learningRate(0.001)
            .optimizer(Optimizer.ADAM)
            .seed(1)
            .device(device)
            .build();
    long[] marks = new long[2];
    int[] steps = new int[1];
    EpochOutcome outcome =
        new EpochTrainer()
            .run(
                new EpochJob(
                    "cnn", SHAPE, 10, params, 1, 0.001, train, val, null, null, null, null, null),
                (step, total, loss) -> {
                  if (step == 1) {
                    marks[0] = System.nanoTime();
                  }
                  marks[1] = System.nanoTime();
                  steps[0] = total;
                });
    double rate = (steps[0] - 1) * (double) BATCH / ((marks[1] - marks[0]) / 1e9);
    double valAcc = outcome.metrics().valAcc();
    System.out.printf(
        Locale.ROOT,
        "gpu-check: %s (%s): one epoch of %d images, %.0f images/s, val acc %.3f%n",
        device.wire(),
        Devices.resolve(device).device(),
        train.size(),
        rate,
        valAcc);
    if (device == Device.GPU && (outcome.diverged() || valAcc < 0.2)) {
      System.out.println("gpu-check: the GPU epoch did not learn (diverged or at chance)");
      passed = false;
    }
    return rate;
  }

  private static LabeledImages slice(LabeledImages all, int from, int to) {
    return new LabeledImages(
        SHAPE,
        Arrays.copyOfRange(all.pixels(), from * SHAPE.size(), to * SHAPE.size()),
        Arrays.copyOfRange(all.labels(), from, to));
  }
}
