package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.SampleShape;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parts of each architecture and their freezing, built without initialising anything. */
class ArchitecturesTest {
  private static final SampleShape GREY28 = SampleShape.image(1, 28, 28);

  @Test
  void resnetsPadSmallImagesTo32AndTheCnnDoesNot() {
    assertEquals(SampleShape.image(1, 32, 32), Architectures.inputShape("resnet18", GREY28));
    assertEquals(
        SampleShape.image(3, 32, 40),
        Architectures.inputShape("resnet50", SampleShape.image(3, 20, 40)));
    assertEquals(GREY28, Architectures.inputShape("cnn", GREY28));
    assertEquals(
        SampleShape.image(3, 64, 64),
        Architectures.inputShape("resnet18", SampleShape.image(3, 64, 64)));
  }

  @Test
  void theCnnHasTwoStagesAndAHeadWithItsFullyConnectedLayer() {
    Architectures.Parts cnn = Architectures.builtIn("cnn", GREY28, 10, 0.2);
    assertEquals(2, cnn.backbone().getChildren().size());
    assertEquals(5, cnn.head().getChildren().size(), "flatten, linear 128, relu, dropout, linear");
    Architectures.Parts resnet =
        Architectures.builtIn("resnet18", Architectures.inputShape("resnet18", GREY28), 10, 0.2);
    assertEquals(2, resnet.head().getChildren().size(), "dropout, linear");
    assertFalse(resnet.backbone().getChildren().isEmpty());
  }

  @Test
  void unknownArchitecturesAndTorchScriptAreRefusedByName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Architectures.builtIn("vgg", GREY28, 10, 0.2));
    assertEquals(
        "architecture must be one of cnn|resnet18|resnet50|torchscript: vgg", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Architectures.builtIn("torchscript", GREY28, 10, 0.2));
    assertTrue(e.getMessage().contains("Network.fromTorchScript"), e.getMessage());
  }

  @Test
  void gradualFreezingTrainsTheHeadThenTheLastStageThenEverything() {
    Architectures.Parts cnn = Architectures.builtIn("cnn", GREY28, 10, 0.2);
    Set<Parameter> trainable = Collections.newSetFromMap(new IdentityHashMap<>());
    cnn.backbone().getParameters().values().stream()
        .filter(Parameter::requiresGradient)
        .forEach(trainable::add);
    cnn.head().getParameters().values().stream()
        .filter(Parameter::requiresGradient)
        .forEach(trainable::add);
    Freezer freezer = new Freezer(cnn.backbone(), trainable);
    var first = cnn.backbone().getChildren().get(0).getValue();
    var last = Freezer.lastStage(cnn.backbone());
    assertTrue(last == cnn.backbone().getChildren().get(1).getValue());

    freezer.apply(Freeze.GRADUAL, 1);
    assertTrue(Backbone.isFrozen(first));
    assertTrue(Backbone.isFrozen(last));
    assertTrue(cnn.head().getParameters().values().stream().allMatch(Parameter::requiresGradient));
    freezer.apply(Freeze.GRADUAL, 2);
    assertTrue(Backbone.isFrozen(first));
    assertFalse(Backbone.isFrozen(last));
    freezer.apply(Freeze.GRADUAL, 3);
    assertFalse(Backbone.isFrozen(first));
    freezer.apply(Freeze.BACKBONE, 5);
    assertTrue(Backbone.isFrozen(first) && Backbone.isFrozen(last));
    freezer.apply(Freeze.NONE, 1);
    assertTrue(trainable.stream().allMatch(Parameter::requiresGradient));
  }
}
