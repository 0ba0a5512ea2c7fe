package io.tunelab.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * An untrained torchvision ResNet-18 as a TorchScript archive, made by Debian's Python PyTorch
 * ({@code /usr/bin/python3} with {@code python3-torch} and {@code python3-torchvision}) once per
 * JVM, so that no binary model is committed. Tests that need it are skipped, with the reason, on a
 * machine without those packages; with {@code TUNELAB_REQUIRE_TORCHSCRIPT=1} (as {@code .ci/run}
 * sets it) they fail instead, so CI cannot pass by skipping.
 */
public final class TorchScriptFixture {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String SCRIPT =
      String.join(
          "\n",
          "import sys, torch, torchvision",
          "torch.manual_seed(0)",
          "torch.jit.script(torchvision.models.resnet18()).save(sys.argv[1])",
          "print(torch.__version__)");
  private static Path archive;
  private static String unavailable;

  private TorchScriptFixture() {}

  /** The archive's path; skips (or fails under CI) the calling test when it cannot be made. */
  public static synchronized Path resnet18() {
    if (archive == null && unavailable == null) {
      make();
    }
    if (unavailable != null) {
      if ("1".equals(System.getenv("TUNELAB_REQUIRE_TORCHSCRIPT"))) {
        throw new IllegalStateException(unavailable);
      }
      Assumptions.abort(unavailable);
    }
    return archive;
  }

  /** The archive's bytes (see {@link #resnet18()}). */
  public static byte[] resnet18Bytes() {
    try {
      return Files.readAllBytes(resnet18());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void make() {
    if (!Files.isExecutable(PYTHON)) {
      unavailable =
          PYTHON
              + " is missing: install Debian's python3-torch and python3-torchvision"
              + " to run the TorchScript tests";
      return;
    }
    try {
      Path dir = Files.createTempDirectory("tunelab-torchscript");
      Path out = dir.resolve("resnet18.pt");
      Path log = dir.resolve("python.log");
      Process p =
          new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT, out.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        unavailable = "making the TorchScript ResNet-18 took over 300 s";
        return;
      }
      String output = Files.readString(log, StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
        unavailable =
            "Debian's python3-torch and python3-torchvision are needed for the"
                + " TorchScript tests (apt-get install python3-torch python3-torchvision); "
                + PYTHON
                + " said: "
                + lastLine(output);
        return;
      }
      out.toFile().deleteOnExit();
      log.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      archive = out;
    } catch (IOException e) {
      unavailable = "cannot run " + PYTHON + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unavailable = "interrupted while making the TorchScript ResNet-18";
    }
  }

  private static String lastLine(String output) {
    String[] lines = output.split("\n");
    return lines.length == 0 ? "(nothing)" : lines[lines.length - 1];
  }
}
