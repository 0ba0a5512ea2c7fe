package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tunelab worker --gpu} on a machine whose engine sees no GPU refuses to start, so that it
 * never takes {@code --device gpu} runs only to train them on the CPU.
 */
class WorkerGpuFlagTest {
  @Test
  void aGpuWorkerWithoutAGpuIsRefusedBeforeItConnects(@TempDir Path home) {
    Assumptions.assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
    // nothing listens on port 1: the refusal must come before any connection is tried
    CliHarness.Result r =
        new CliHarness(home, "127.0.0.1:1", "http://127.0.0.1:1").run("worker", "--gpu");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--gpu"), r.err());
    assertTrue(r.err().contains("sees no GPU"), r.err());
  }
}
