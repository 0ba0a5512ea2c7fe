package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.Augmenter;
import io.tunelab.workflows.model.ImageShape;
import io.tunelab.workflows.model.TrainingParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeMemory}: libtorch's freed tensors stay in the process, seen as page faults of a
 * thread that frees and allocates them again, in real child JVMs with and without it.
 */
class NativeMemoryTest {

  @Test
  void theUsersOwnMallocTunablesWin() {
    assertFalse(NativeMemory.keepFreedMemory(
        Map.of("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=0")));
  }

  @Test
  void freedTensorsAreNotFaultedInAgain() throws Exception {
    long plain = faults("plain");
    assertTrue(plain > 20_000, "glibc's defaults fault freed tensors back in (else this test "
        + "proves nothing): " + plain);
    long kept = faults("kept");
    assertTrue(kept < plain / 5, "kept " + kept + " vs plain " + plain);
  }

  /** Runs {@link Probe} in a child JVM and returns the page faults it reports. */
  private static long faults(String mode) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // the Java heap touched up front: only native memory faults are counted
        "-Xms384m", "-Xmx384m", "-XX:+AlwaysPreTouch",
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        Probe.class.getName(), mode).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove("GLIBC_TUNABLES");
    builder.environment().put("DJL_OFFLINE", "true");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "probe did not end");
    assertEquals(0, process.exitValue(), out);
    String line = out.lines().filter(l -> l.startsWith("faults ")).findFirst()
        .orElseThrow(() -> new AssertionError("no result: " + out));
    return Long.parseLong(line.substring("faults ".length()).trim());
  }

  /**
   * On a thread of its own (a worker trains on one), trains three epochs of the CNN on 1,280
   * random 28x28 images, each epoch from the last one's checkpoint as a worker does, and prints
   * the minor page faults of epochs 2 and 3.
   */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      if (args[0].equals("kept") && !NativeMemory.keepFreedMemory(System.getenv())) {
        throw new IllegalStateException("not set");
      }
      ImageShape shape = new ImageShape(1, 28, 28);
      java.util.Random random = new java.util.Random(1);
      int n = 1280;
      byte[] pixels = new byte[n * shape.pixels()];
      random.nextBytes(pixels);
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = i % 5;
      }
      LabeledImages train = new LabeledImages(shape, pixels, labels);
      TrainingParams params = new TrainingParams(3, 64, 1e-3, "adam", 0.0, "none", "none", 0,
          "none", 7, "cpu");
      long[] faults = new long[1];
      Thread thread = new Thread(() -> {
        try {
          EpochTrainer trainer = new EpochTrainer();
          byte[] checkpoint = null;
          long start = 0;
          for (int epoch = 1; epoch <= 3; epoch++) {
            if (epoch == 2) {
              start = minorFaults();
            }
            checkpoint = trainer.run(new EpochJob("cnn", shape, 5, params, epoch, 1e-3, train,
                train, checkpoint, null, Augmenter.NONE), StepListener.NONE).checkpoint();
          }
          faults[0] = minorFaults() - start;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, "probe-torch");
      thread.start();
      thread.join();
      System.out.println("faults " + faults[0]);
    }

    private static long minorFaults() throws IOException {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    }
  }
}
