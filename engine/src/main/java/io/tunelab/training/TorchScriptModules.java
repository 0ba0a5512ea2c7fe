package io.tunelab.training;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.tunelab.workflows.model.SampleShape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Loading, checking and re-initialising TorchScript modules through DJL's PyTorch engine: the parts
 * of a {@code torchscript} {@link Network} that deal with the module itself.
 */
public final class TorchScriptModules {
  static {
    OneDnnGuard.apply();
  }

  private static final int MAX_ERROR_CHARS = 400;

  private TorchScriptModules() {}

  /**
   * Checks that a TorchScript archive can serve as the module of a {@code torchscript} network for
   * images of {@code shape}, and returns how many values per image it outputs. Loads the module on
   * the CPU, runs one blank image through it in inference mode, and releases it.
   *
   * @throws TorchScriptException as {@link Network#fromTorchScript} does
   */
  public static long check(byte[] archive, SampleShape shape) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      return outputFeatures(load(archive, manager), shape, manager);
    }
  }

  /** Loads an archive's module into {@code manager}, on its device, with trainable parameters. */
  static PtSymbolBlock load(byte[] archive, NDManager manager) {
    if (!(manager instanceof PtNDManager pt)) {
      throw new IllegalStateException(
          "TorchScript modules need DJL's PyTorch engine, not "
              + manager.getEngine().getEngineName());
    }
    try {
      return JniUtils.loadModule(pt, new ByteArrayInputStream(archive), true, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (EngineException | IllegalArgumentException e) {
      throw new TorchScriptException(
          "libtorch cannot load the TorchScript archive: " + oneLine(e.getMessage()), e);
    }
  }

  /**
   * Runs one blank image of {@code shape} through the module in inference mode and returns the
   * number of values it outputs for it.
   *
   * @throws TorchScriptException when the module fails on such an image or does not return one
   *     tensor of shape (batch, ...)
   */
  static long outputFeatures(PtSymbolBlock module, SampleShape shape, NDManager manager) {
    Shape in = new Shape(1, shape.channels(), shape.height(), shape.width());
    try (NDManager probe = manager.newSubManager()) {
      NDList out;
      try {
        out = module.forward(new ParameterStore(probe, false), new NDList(probe.zeros(in)), false);
      } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
        throw new TorchScriptException(
            "the TorchScript module cannot take "
                + shape
                + " images (a batch of shape "
                + in
                + "): "
                + oneLine(e.getMessage()),
            e);
      }
      if (out.size() != 1
          || out.get(0).getShape().dimension() < 2
          || out.get(0).getShape().get(0) != 1) {
        throw new TorchScriptException(
            "the TorchScript module must return one tensor of shape"
                + " (batch, features...) for a batch of images; for "
                + in
                + " it returned "
                + describe(out));
      }
      return out.get(0).getShape().size();
    }
  }

  /**
   * The module as an archive that {@link #load} reads back bit-identically: its structure, current
   * parameters and buffers (libtorch's {@code Module::save}).
   */
  static byte[] archive(PtSymbolBlock module) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 << 20);
    ai.djl.pytorch.jni.JniUtils.writeModule(module, out, false);
    return out.toByteArray();
  }

  /**
   * Re-initialises a module's parameters, deterministically from {@code seed}. The module's layer
   * types are not visible from DJL, so the rule goes by each parameter's TorchScript name and rank,
   * following PyTorch's and torchvision's usual choices: a tensor of rank 2 or more (convolution or
   * linear weight) is drawn from He's normal distribution N(0, 2 / fan_in), with fan_in the product
   * of all but its first dimension; a rank-1 or scalar tensor whose name ends in {@code weight} (a
   * normalisation scale) becomes 1; every other one (biases, normalisation shifts) becomes 0. Each
   * tensor has its own {@link Random} seeded from (seed, its name), so its values do not depend on
   * the order or number of the other parameters, nor on the engine. Buffers are not parameters and
   * keep the archive's values: batch-norm running statistics then follow the new weights as the
   * network trains (momentum 0.1 per step, PyTorch's default).
   */
  static void reinitialise(PtSymbolBlock module, long seed) {
    for (Pair<String, Parameter> p : module.getParameters()) {
      String name = p.getKey();
      NDArray array = p.getValue().getArray();
      Shape shape = array.getShape();
      float[] values = new float[Math.toIntExact(shape.size())];
      if (shape.dimension() >= 2) {
        long fanIn = shape.size() / shape.get(0);
        double std = Math.sqrt(2.0 / Math.max(1, fanIn));
        Random random = new Random(Seeds.reinitSeed(seed, name));
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextGaussian() * std);
        }
      } else if (name.endsWith("weight")) {
        Arrays.fill(values, 1f);
      }
      array.set(values);
    }
  }

  private static String describe(NDList out) {
    List<String> shapes = new ArrayList<>();
    for (NDArray a : out) {
      shapes.add(a.getShape().toString());
    }
    return out.size() + " tensor(s) " + shapes;
  }

  /** A (often long, multi-line) libtorch message as one bounded line. */
  private static String oneLine(String message) {
    if (message == null) {
      return "no message";
    }
    String line = message.strip().replaceAll("\\s*\\n\\s*", " | ");
    return line.length() <= MAX_ERROR_CHARS ? line : line.substring(0, MAX_ERROR_CHARS) + " ...";
  }
}
