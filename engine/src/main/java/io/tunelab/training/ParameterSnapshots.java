package io.tunelab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Copies a {@link Network}'s parameter values to plain arrays by name and back: what a checkpoint
 * stores and a fine-tune or resume loads. The parameters of a TorchScript module are never among
 * them: they travel with its archive.
 */
final class ParameterSnapshots {
  private ParameterSnapshots() {}

  /** The values of every parameter outside the TorchScript module, by name, in block order. */
  static Map<String, Checkpoint.Tensor> take(Network network) {
    Set<String> inModule = network.moduleParameterNames();
    Map<String, Checkpoint.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
      if (inModule.contains(e.getKey())) {
        continue;
      }
      NDArray a = e.getValue().getArray();
      out.put(e.getKey(), new Checkpoint.Tensor(a.getShape().getShape(), a.toFloatArray()));
    }
    return out;
  }

  /**
   * Overwrites the network's initialised parameters with saved values, all of them or the
   * backbone's only.
   *
   * @throws IllegalArgumentException when a needed parameter is missing or has another shape, or
   *     (for a full load) the saved values name parameters this network lacks
   */
  static void load(Network network, Map<String, Checkpoint.Tensor> saved, boolean backboneOnly) {
    String architecture = network.architecture();
    Map<String, Parameter> params = network.parameters();
    Set<String> wanted =
        new LinkedHashSet<>(backboneOnly ? network.backboneParameterNames() : params.keySet());
    wanted.removeAll(network.moduleParameterNames());
    if (!backboneOnly) {
      for (String name : saved.keySet()) {
        if (!wanted.contains(name)) {
          throw new IllegalArgumentException(
              "checkpoint has parameter " + name + " that the " + architecture + " network lacks");
        }
      }
    }
    for (String name : wanted) {
      Checkpoint.Tensor t = saved.get(name);
      if (t == null) {
        throw new IllegalArgumentException(
            "checkpoint lacks parameter " + name + " of the " + architecture + " network");
      }
      NDArray array = params.get(name).getArray();
      if (!array.getShape().equals(new Shape(t.shape()))) {
        throw new IllegalArgumentException(
            "parameter "
                + name
                + " has shape "
                + array.getShape()
                + " but the checkpoint holds "
                + new Shape(t.shape()));
      }
      array.set(t.values());
    }
  }

  /** The names of the network's parameters that belong to {@code part}, in block order. */
  static Set<String> names(Network network, Block part) {
    Set<Parameter> mine = Collections.newSetFromMap(new IdentityHashMap<>());
    mine.addAll(part.getParameters().values());
    Set<String> names = new LinkedHashSet<>();
    for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
      if (mine.contains(e.getValue())) {
        names.add(e.getKey());
      }
    }
    return names;
  }

  /** Whether every parameter of the network (the module's included) is finite. */
  static boolean allFinite(Network network) {
    for (Parameter p : network.parameters().values()) {
      for (float v : p.getArray().toFloatArray()) {
        if (!Float.isFinite(v)) {
          return false;
        }
      }
    }
    return true;
  }
}
