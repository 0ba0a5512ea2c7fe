package io.tunelab.training;

import ai.djl.engine.Engine;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sets how much libtorch's C++ code writes to the process's standard error. libtorch reads {@code
 * TORCH_CPP_LOG_LEVEL} only when Python starts it, so in a JVM it stays at warnings, and every
 * worker printed a deprecation warning that DJL's native code triggers on its first parameter copy
 * ("AutoNonVariableTypeMode is deprecated ... silent wrong result ..."), which says nothing about
 * the user's run. This sets the level flag of c10 (libtorch's core library, {@code
 * FLAGS_caffe2_log_level}) in the copy this process loaded, from {@code TORCH_CPP_LOG_LEVEL}
 * ({@code INFO}, {@code WARNING}, {@code ERROR}, {@code FATAL} or 0–3), errors only when it is
 * unset. Linux only (the library is found in {@code /proc/self/maps}); elsewhere, or when anything
 * is missing, nothing changes.
 */
public final class NativeLog {
  static final String FLAG = "FLAGS_caffe2_log_level";
  static final String LIBRARY = "libc10.so";

  /** c10's severities: INFO 0, WARNING 1, ERROR 2, FATAL 3. */
  static final int ERROR = 2;

  private NativeLog() {}

  /**
   * Loads the engine if it is not loaded yet and sets libtorch's log level from {@code setting}
   * (the value of {@code TORCH_CPP_LOG_LEVEL}, or {@code null}).
   *
   * @return the level set, or empty when it could not be set
   */
  public static Optional<Integer> apply(String setting) {
    try {
      if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
        return Optional.empty();
      }
      Optional<Path> c10 = loadedLibrary(Files.readAllLines(Path.of("/proc/self/maps")), LIBRARY);
      if (c10.isEmpty()) {
        return Optional.empty();
      }
      int level = level(setting);
      NativeLibrary.getInstance(c10.get().toString())
          .getGlobalVariableAddress(FLAG)
          .setInt(0, level);
      return Optional.of(level);
    } catch (IOException | RuntimeException | LinkageError e) {
      // a log level is not worth failing a worker for
      return Optional.empty();
    }
  }

  /**
   * The level a {@code TORCH_CPP_LOG_LEVEL} value names; errors only for none or an unknown one.
   */
  static int level(String setting) {
    if (setting == null) {
      return ERROR;
    }
    return switch (setting.trim().toUpperCase(Locale.ROOT)) {
      case "INFO", "0" -> 0;
      case "WARNING", "WARN", "1" -> 1;
      case "FATAL", "3" -> 3;
      default -> ERROR;
    };
  }

  /**
   * The path of a mapped library named {@code fileName} in the lines of a {@code /proc/PID/maps}.
   */
  static Optional<Path> loadedLibrary(List<String> maps, String fileName) {
    for (String line : maps) {
      int path = line.indexOf('/');
      if (path >= 0 && line.endsWith("/" + fileName)) {
        return Optional.of(Path.of(line.substring(path)));
      }
    }
    return Optional.empty();
  }
}
