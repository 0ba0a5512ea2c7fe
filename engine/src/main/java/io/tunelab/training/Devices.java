package io.tunelab.training;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Resolves the device names of {@code TrainingParams.device} ({@code auto}, {@code cpu}, {@code
 * gpu}) against what the engine can see. A request for a GPU on a machine without one falls back to
 * the CPU and says so in {@link Choice#reason()}, so that the caller can print it.
 */
public final class Devices {
  static {
    OneDnnGuard.apply();
  }

  private Devices() {}

  /**
   * The device chosen for a request.
   *
   * @param device the device to use
   * @param requested what was asked for
   * @param reason why this device was chosen, in one sentence; empty when it is what was asked
   */
  public record Choice(Device device, String requested, String reason) {
    /** Whether the choice differs from the request (a GPU was asked for and is missing). */
    public boolean fellBack() {
      return "gpu".equals(requested) && !device.isGpu();
    }
  }

  /**
   * Chooses a device: {@code auto} takes the first GPU when the engine has one, else the CPU;
   * {@code gpu} takes the first GPU, or the CPU with a reason when there is none; {@code cpu} takes
   * the CPU.
   *
   * @param requested the device asked for; {@code null} means {@code auto}
   */
  public static Choice resolve(io.tunelab.workflows.model.Device requested) {
    io.tunelab.workflows.model.Device choice =
        requested == null ? io.tunelab.workflows.model.Device.AUTO : requested;
    String name = choice.wire();
    int gpus = Engine.getInstance().getGpuCount();
    switch (choice) {
      case CPU:
        return new Choice(Device.cpu(), name, "");
      case AUTO:
        return gpus > 0
            ? new Choice(
                Device.gpu(), name, "auto: the engine sees " + gpus + " GPU(s); using gpu(0)")
            : new Choice(Device.cpu(), name, "auto: the engine sees no GPU; using the CPU");
      case GPU:
        return gpus > 0
            ? new Choice(Device.gpu(), name, "")
            : new Choice(
                Device.cpu(),
                name,
                "gpu requested but the "
                    + Engine.getInstance().getEngineName()
                    + " engine sees no GPU (CPU-only native library or no CUDA device);"
                    + " falling back to the CPU");
      default:
        throw new IllegalArgumentException("device: " + requested);
    }
  }
}
