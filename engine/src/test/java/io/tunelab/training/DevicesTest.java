package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class DevicesTest {
  @Test
  void resolvesAgainstWhatTheEngineSees() {
    boolean hasGpu = Engine.getInstance().getGpuCount() > 0;
    assertEquals(Device.cpu(), Devices.resolve("cpu").device());
    assertEquals("", Devices.resolve("cpu").reason());
    assertEquals(hasGpu, Devices.resolve("auto").device().isGpu());
    Devices.Choice gpu = Devices.resolve("gpu");
    if (hasGpu) {
      assertTrue(gpu.device().isGpu());
      assertFalse(gpu.fellBack());
    } else {
      assertEquals(Device.cpu(), gpu.device());
      assertTrue(gpu.fellBack());
      assertTrue(gpu.reason().contains("no GPU"), gpu.reason());
    }
    assertThrows(IllegalArgumentException.class, () -> Devices.resolve("tpu"));
  }
}
