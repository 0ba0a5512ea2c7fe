package io.tunelab.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.SampleShape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a champion cannot be evaluated on a challenger's data, and why. */
class ChampionChallengeTest {
  static final SampleShape GREY = SampleShape.image(1, 28, 28);
  static final DatasetRef DATA =
      new DatasetRef(
          "i",
          "m",
          "p",
          Map.of("train", "t", "val", "v", "test", "s"),
          List.of("a", "b"),
          GREY,
          Map.of(),
          0,
          0,
          null);

  static ModelInfo champion(String architecture, List<String> classes, SampleShape shape) {
    return new ModelInfo("m", 1, architecture, shape, classes, "k", "i", 0.9, "run", List.of());
  }

  @Test
  void aChampionOfTheSameClassesAndShapeIsCompared() {
    assertNull(ChampionChallenge.incompatibility(champion("cnn", List.of("a", "b"), GREY), DATA));
  }

  @Test
  void otherClassesOtherShapesAndTorchScriptImportsAreNot() {
    assertEquals(
        "it classifies [a, c], the data has [a, b]",
        ChampionChallenge.incompatibility(champion("cnn", List.of("a", "c"), GREY), DATA));
    assertEquals(
        "it takes " + SampleShape.image(3, 32, 32) + " images, the data has " + GREY,
        ChampionChallenge.incompatibility(
            champion("cnn", List.of("a", "b"), SampleShape.image(3, 32, 32)), DATA));
    assertEquals(
        "it is a TorchScript import",
        ChampionChallenge.incompatibility(champion("torchscript", List.of("a", "b"), GREY), DATA));
  }
}
