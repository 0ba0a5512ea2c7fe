package io.tunelab.training;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps oneDNN (libtorch's CPU convolutions) off kernels that crash on CPUs that hide their caches.
 * oneDNN sizes the blocks of its brgemm convolutions from the CPU's cache sizes; a virtual CPU
 * whose cache description is empty (Linux then lists no {@code /sys/devices/system/cpu/cpu0/cache})
 * makes its backward strided 1x1 convolution divide by zero, and the JVM dies with SIGFPE (ResNet's
 * downsampling layers on a 2-core AMD EPYC VM). There this caps oneDNN at AVX, whose convolutions
 * use no brgemm, unless the user set {@code ONEDNN_MAX_CPU_ISA} already.
 */
public final class OneDnnGuard {
  static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
  static final String SAFE_ISA = "AVX";
  private static final Path CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache/index0");
  private static volatile boolean applied;
  private static volatile String capped;

  private OneDnnGuard() {}

  /**
   * Applies the cap once per process, before libtorch's first convolution; later calls do nothing.
   */
  public static void apply() {
    if (applied) {
      return;
    }
    synchronized (OneDnnGuard.class) {
      if (!applied) {
        cap(System.getenv(), Files.isDirectory(CACHES))
            .ifPresent(
                isa -> {
                  setenv(isa);
                  capped = isa;
                });
        applied = true;
      }
    }
  }

  /**
   * Which ISA oneDNN is capped at in this process and by whom, for benchmarks to print: the cap
   * costs training speed (bench/README.md has the figures).
   */
  public static String describe() {
    apply();
    if (capped != null) {
      return VARIABLE + "=" + capped + " (set by OneDnnGuard: this CPU hides its caches)";
    }
    String set = System.getenv(VARIABLE);
    if (set == null) {
      set = System.getenv("DNNL_MAX_CPU_ISA");
    }
    return set != null ? VARIABLE + "=" + set + " (from the environment)" : "no oneDNN ISA cap";
  }

  /** The ISA to cap oneDNN at, if any, for this environment and cache description. */
  static Optional<String> cap(Map<String, String> env, boolean cachesDescribed) {
    if (cachesDescribed || env.containsKey(VARIABLE) || env.containsKey("DNNL_MAX_CPU_ISA")) {
      return Optional.empty();
    }
    return Optional.of(SAFE_ISA);
  }

  private static void setenv(String isa) {
    if (!Platform.isLinux()) {
      return;
    }
    try {
      // native setenv: oneDNN reads the variable with getenv when it first chooses its kernels
      NativeLibrary.getInstance("c")
          .getFunction("setenv")
          .invokeInt(new Object[] {VARIABLE, isa, 0});
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // no libc to call: oneDNN keeps its default
    }
  }
}
