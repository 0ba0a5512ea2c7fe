package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeMemory}: memory a training step frees stays in the process, seen as page faults of a
 * thread that frees and allocates them again, in real child JVMs with and without it.
 */
@Tag("integration")
class NativeMemoryTest {

  @Test
  void theUsersOwnMallocTunablesWin() {
    assertFalse(
        NativeMemory.keepFreedMemory(Map.of("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=0")));
  }

  @Test
  void freedTensorsAreNotFaultedInAgain() throws Exception {
    long plain = faults("plain");
    assertTrue(
        plain > 50_000,
        "glibc's defaults fault freed tensors back in (else this test "
            + "proves nothing): "
            + plain);
    long kept = faults("kept");
    assertTrue(kept < plain / 10, "kept " + kept + " vs plain " + plain);
  }

  /** Runs {@link Probe} in a child JVM and returns the page faults it reports. */
  private static long faults(String mode) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // the Java heap touched up front: only native memory faults are counted
                "-Xms384m",
                "-Xmx384m",
                "-XX:+AlwaysPreTouch",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName(),
                mode)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove("GLIBC_TUNABLES");
    builder.environment().put("DJL_OFFLINE", "true");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "probe did not end");
    assertEquals(0, process.exitValue(), out);
    String line =
        out.lines()
            .filter(l -> l.startsWith("faults "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no result: " + out));
    return Long.parseLong(line.substring("faults ".length()).trim());
  }

  /**
   * On a thread of its own (a worker trains on one, with a malloc arena of its own), ten times:
   * allocates 128 MB in 100 KB blocks, as a training step's tensors, writes them and frees them;
   * prints the minor page faults of rounds 2 to 10. Under glibc's defaults the free top of the
   * arena (above its trim threshold, 64 MB at most however the thresholds adapted) goes back to the
   * kernel every round and is faulted in again the next.
   */
  public static final class Probe {
    static final int BLOCK = 100 * 1024;
    static final int BLOCKS = 128 * 1024 * 1024 / BLOCK;

    public static void main(String[] args) throws Exception {
      if (args[0].equals("kept") && !NativeMemory.keepFreedMemory(System.getenv())) {
        throw new IllegalStateException("not set");
      }
      long[] faults = new long[1];
      Thread thread =
          new Thread(
              () -> {
                try {
                  long start = 0;
                  long[] blocks = new long[BLOCKS];
                  for (int round = 0; round < 10; round++) {
                    if (round == 1) {
                      start = minorFaults();
                    }
                    for (int i = 0; i < BLOCKS; i++) {
                      blocks[i] = Native.malloc(BLOCK);
                      new Pointer(blocks[i]).setMemory(0, BLOCK, (byte) 1);
                    }
                    for (int i = BLOCKS - 1; i >= 0; i--) {
                      Native.free(blocks[i]);
                    }
                  }
                  faults[0] = minorFaults() - start;
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              "probe-torch");
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
