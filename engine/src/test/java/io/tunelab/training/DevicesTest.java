package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    assertEquals(Device.cpu(), Devices.resolve(io.tunelab.workflows.model.Device.CPU).device());
    assertEquals("", Devices.resolve(io.tunelab.workflows.model.Device.CPU).reason());
    assertEquals(hasGpu, Devices.resolve(io.tunelab.workflows.model.Device.AUTO).device().isGpu());
    Devices.Choice gpu = Devices.resolve(io.tunelab.workflows.model.Device.GPU);
    if (hasGpu) {
      assertTrue(gpu.device().isGpu());
      assertFalse(gpu.fellBack());
    } else {
      assertEquals(Device.cpu(), gpu.device());
      assertTrue(gpu.fellBack());
      assertTrue(gpu.reason().contains("no GPU"), gpu.reason());
    }
    assertEquals("auto", Devices.resolve(null).requested());
  }
}
