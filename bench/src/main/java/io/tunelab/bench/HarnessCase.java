package io.tunelab.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One case of {@link DiagnosisHarness}: a dataset recipe, the run flags that differ from the
 * healthy ones, the finding codes it plants (each must be raised) and the codes it allows
 * (legitimate consequences of what was planted, each with the reason: neither required nor counted
 * as false). A case with nothing planted is a clean case: any warning outside its allowed codes is
 * a false warning.
 *
 * @param name what {@code --only} selects; also part of the run id
 * @param planted the codes that must be raised
 * @param allowed codes that may be raised, to the reason why
 * @param what one line on what was planted
 * @param datasets the datasets the case runs on ({@code fashion}, {@code digits}); empty: all
 * @param data builds its dataset from one draw
 * @param flags run flags over the healthy ones (value {@code null}: a switch; {@code "-"}: removed)
 * @param model whose pretrained model it fine-tunes
 */
record HarnessCase(
    String name,
    Set<String> planted,
    Map<String, String> allowed,
    String what,
    Set<String> datasets,
    Recipe data,
    Map<String, String> flags,
    Model model) {

  HarnessCase {
    if (name == null || !name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("case name must be lower-case words joined by -: " + name);
    }
    planted = Set.copyOf(planted);
    allowed = Map.copyOf(allowed);
    datasets = Set.copyOf(datasets);
    for (String code : planted) {
      if (allowed.containsKey(code)) {
        throw new IllegalArgumentException(name + ": " + code + " is both planted and allowed");
      }
    }
    allowed.forEach(
        (code, why) -> {
          if (why == null || why.isBlank()) {
            throw new IllegalArgumentException(name + ": allowed " + code + " needs a reason");
          }
        });
  }

  /** Whose pretrained model a case fine-tunes. */
  enum Model {
    /** The model pretrained on the same dataset's classes 0–4. */
    OWN,
    /** The model pretrained on the other dataset (same seed): a cross-dataset domain shift. */
    OTHER_DATASET
  }

  /** How a case's dataset is made from one draw of a dataset at one seed. */
  @FunctionalInterface
  interface Recipe {
    ScenarioDatasets.Built build(HarnessDraw draw, Path dir) throws IOException;
  }

  /** Whether nothing is planted. */
  boolean clean() {
    return planted.isEmpty();
  }

  /** Whether the case runs on a dataset. */
  boolean runsOn(String dataset) {
    return datasets.isEmpty() || datasets.contains(dataset);
  }

  /** Planted codes, sorted, for printing. */
  List<String> plantedSorted() {
    return planted.stream().sorted().toList();
  }
}
