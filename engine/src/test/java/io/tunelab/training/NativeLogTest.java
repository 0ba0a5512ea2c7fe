package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link NativeLog} keeps libtorch's warnings off standard error, seen in a real child JVM. */
@Tag("integration")
class NativeLogTest {
  static final String WARNING = "AutoNonVariableTypeMode is deprecated";

  @Test
  void levelsAreReadLikeLibtorchReadsThem() {
    assertEquals(2, NativeLog.level(null));
    assertEquals(2, NativeLog.level("ERROR"));
    assertEquals(1, NativeLog.level("warning"));
    assertEquals(0, NativeLog.level(" INFO "));
    assertEquals(3, NativeLog.level("3"));
    assertEquals(2, NativeLog.level("loud"), "an unknown value means errors only");
  }

  @Test
  void theLibraryIsFoundInTheMaps() {
    List<String> maps =
        List.of(
            "7f00-7f10 r--p 00000000 08:01 123 /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f20-7f30 r-xp 00000000 08:01 456 /root/.djl.ai/pytorch/2.7.1-cpu/libc10.so",
            "7f40-7f50 rw-p 00000000 00:00 0 [heap]");
    assertEquals(
        Optional.of(Path.of("/root/.djl.ai/pytorch/2.7.1-cpu/libc10.so")),
        NativeLog.loadedLibrary(maps, "libc10.so"));
    assertEquals(Optional.empty(), NativeLog.loadedLibrary(maps, "libtorch.so"));
  }

  @Test
  void aWorkerPrintsNoLibtorchWarningButOneLeftAloneDoes() throws Exception {
    String loud = probe("loud");
    assertTrue(
        loud.contains(WARNING),
        "without NativeLog libtorch warns (else this test proves " + "nothing): " + loud);
    String quiet = probe("quiet");
    assertTrue(quiet.contains("probe done, level 2"), quiet);
    assertFalse(quiet.contains(WARNING), quiet);
  }

  /** Runs {@link Probe} in a child JVM and returns its standard error. */
  private static String probe(String mode) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName(),
                mode)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove("TORCH_CPP_LOG_LEVEL");
    builder.environment().put("DJL_OFFLINE", "true");
    Process process = builder.start();
    byte[] err = process.getErrorStream().readAllBytes();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "probe did not end");
    String text = new String(err, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), text);
    return text;
  }

  /** Copies a parameter the way checkpoints do, which makes libtorch warn once per process. */
  public static final class Probe {
    public static void main(String[] args) {
      int level = -1;
      if (args[0].equals("quiet")) {
        level = NativeLog.apply(null).orElse(-1);
      }
      try (NDManager manager = NDManager.newBaseManager()) {
        Block block = Linear.builder().setUnits(2).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        for (Pair<String, Parameter> p : block.getParameters()) {
          NDArray copy = p.getValue().getArray().duplicate();
          p.getValue().getArray().set(copy.toByteBuffer());
        }
      }
      System.err.println("probe done, level " + level);
    }
  }
}
