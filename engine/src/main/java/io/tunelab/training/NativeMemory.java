package io.tunelab.training;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Map;

/**
 * Keeps the memory libtorch frees in the process for its next training step. glibc's {@code malloc}
 * hands the free top of an arena back to the kernel once it exceeds a trim threshold, and serves
 * large blocks with {@code mmap}, unmapping them on {@code free}; a training step frees and
 * allocates again tens of megabytes of activations and gradients, so with glibc's defaults the next
 * step page-faults the same memory back in, page by page, each fault zeroing a page on the training
 * thread, which costs CPU time on every step.
 *
 * <p>{@link #keepFreedMemory} sets, for the whole process, the thresholds glibc otherwise adapts as
 * it goes: blocks below {@value #MMAP_THRESHOLD} bytes (glibc's largest) come from the arenas, an
 * arena returns its free top only beyond {@value #TRIM_THRESHOLD} bytes, and grows by {@value
 * #TOP_PAD} bytes at a time. The price is that a worker keeps the memory of its largest training
 * step after it (which it needs again at the next epoch anyway). Linux with glibc only; nothing
 * changes elsewhere, or when {@code GLIBC_TUNABLES} already sets malloc's tunables (the user's
 * choice wins).
 */
public final class NativeMemory {
  static final int M_TRIM_THRESHOLD = -1;
  static final int M_TOP_PAD = -2;
  static final int M_MMAP_THRESHOLD = -3;
  static final int MMAP_THRESHOLD = 32 * 1024 * 1024;
  static final int TRIM_THRESHOLD = 1024 * 1024 * 1024;
  static final int TOP_PAD = 64 * 1024 * 1024;

  private NativeMemory() {}

  /**
   * Sets glibc's malloc thresholds as described above.
   *
   * @param env the process's environment
   * @return whether they were set
   */
  public static boolean keepFreedMemory(Map<String, String> env) {
    String tunables = env.get("GLIBC_TUNABLES");
    if (!Platform.isLinux() || (tunables != null && tunables.contains("glibc.malloc."))) {
      return false;
    }
    try {
      Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
      // mallopt returns 1 on success; the mmap threshold first, which stops glibc adapting both
      boolean set = mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD}) == 1;
      set &= mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD}) == 1;
      set &= mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD}) == 1;
      return set;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // no glibc (musl, another libc): its allocator is left as it is
      return false;
    }
  }
}
