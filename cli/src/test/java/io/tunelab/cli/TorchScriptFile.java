package io.tunelab.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * An untrained torchvision ResNet-18 saved as TorchScript by Debian's Python PyTorch ({@code
 * /usr/bin/python3} with {@code python3-torch} and {@code python3-torchvision}), made in a test's
 * temporary folder so that no binary model is committed. The calling test is skipped, with the
 * reason, where those packages are missing, and fails instead under {@code
 * TUNELAB_REQUIRE_TORCHSCRIPT=1} (as {@code .ci/run} sets it). The activities module's tests have
 * the same helper ({@code io.tunelab.training.TorchScriptFixture}); test classes do not cross
 * modules here.
 */
final class TorchScriptFile {
  private static final String SCRIPT =
      String.join(
          "\n",
          "import sys, torch, torchvision",
          "torch.manual_seed(0)",
          "torch.jit.script(torchvision.models.resnet18()).save(sys.argv[1])");

  private TorchScriptFile() {}

  /** Writes {@code dir/resnet18.pt} and returns its path. */
  static Path resnet18(Path dir) throws IOException, InterruptedException {
    Path python = Path.of("/usr/bin/python3");
    Path out = dir.resolve("resnet18.pt");
    String problem = null;
    if (!Files.isExecutable(python)) {
      problem = python + " is missing";
    } else {
      Path log = dir.resolve("python.log");
      Process p =
          new ProcessBuilder(python.toString(), "-c", SCRIPT, out.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        problem = "python took over 300 s";
      } else if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
        String[] lines = Files.readString(log, StandardCharsets.UTF_8).strip().split("\n");
        problem = python + " said: " + lines[lines.length - 1];
      }
    }
    if (problem != null) {
      String reason =
          "the TorchScript tests need Debian's python3-torch and python3-torchvision"
              + " (apt-get install python3-torch python3-torchvision): "
              + problem;
      if ("1".equals(System.getenv("TUNELAB_REQUIRE_TORCHSCRIPT"))) {
        throw new IllegalStateException(reason);
      }
      Assumptions.abort(reason);
    }
    return out;
  }
}
