package io.tunelab.training;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Lets training run ahead of the JVM's JIT compilers. A training step keeps every core busy
 * with libtorch's OpenMP threads, which wait for each other at the end of each operation, so
 * any other thread that takes a core stalls the whole step, not one thread of it. Beside
 * training, a worker runs code that keeps the compilers busy all along — gRPC, Temporal, S3,
 * JSON — 0.5–2 s of compiler CPU per 15,000-image run on two cores (bench/README.md), against
 * next to nothing for a bare training loop. {@link #yieldToTraining} gives the compiler threads
 * a lower scheduling priority (nice {@value #NICE}), so that they mostly run while training
 * leaves a core idle (between steps, during the single-threaded parts of a step) and still run
 * when nothing else does. Raising a thread's nice value needs no privilege. Linux only; nothing
 * changes elsewhere.
 */
public final class CompilerThreads {
  /** The nice value the compiler threads get; 0 is the default, 19 the lowest priority. */
  static final int NICE = 10;
  private static final int PRIO_PROCESS = 0;

  private CompilerThreads() {}

  /**
   * Gives the JVM's JIT compiler threads that exist now nice {@value #NICE}.
   *
   * @return how many compiler threads have it now (0 where this cannot be done)
   */
  public static int yieldToTraining() {
    if (!Platform.isLinux()) {
      return 0;
    }
    Function setpriority;
    try {
      setpriority = NativeLibrary.getInstance("c").getFunction("setpriority");
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return 0;
    }
    int done = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        if (isCompiler(task)) {
          int tid = Integer.parseInt(task.getFileName().toString());
          // setpriority(PRIO_PROCESS, tid) sets one thread's nice value on Linux
          if (setpriority.invokeInt(new Object[] {PRIO_PROCESS, tid, NICE}) == 0) {
            done++;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc, or a thread ended while we looked: what was done stays done
    }
    return done;
  }

  /** Whether a {@code /proc/self/task} entry is a HotSpot compiler thread ("C2 CompilerThre"). */
  static boolean isCompiler(Path task) {
    try {
      return Files.readString(task.resolve("comm")).contains("CompilerThre");
    } catch (IOException e) {
      return false;
    }
  }
}
