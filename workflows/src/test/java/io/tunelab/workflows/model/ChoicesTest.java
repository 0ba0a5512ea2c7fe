package io.tunelab.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The choices keep the wire values of the strings they replaced, in JSON and on parsing. */
class ChoicesTest {
  private static final ObjectMapper TEMPORAL = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  @Test
  void wireValuesAreTheLowercaseWordsOfTheCommandLine() {
    assertEquals(List.of("sgd", "adam", "adamw"), wires(Optimizer.values()));
    assertEquals(List.of("none", "step", "cosine", "plateau"), wires(Schedule.values()));
    assertEquals(List.of("none", "backbone", "gradual"), wires(Freeze.values()));
    assertEquals(List.of("none", "light", "standard", "strong"), wires(Augment.values()));
    assertEquals(List.of("auto", "cpu", "gpu"), wires(Device.values()));
    assertEquals(List.of("finetune", "scratch", "pretrain"), wires(Arm.values()));
    assertEquals(
        List.of(
            "PENDING",
            "RUNNING",
            "COMPLETED",
            "FAILED",
            "CANCELED",
            "TERMINATED",
            "TIMED_OUT",
            "LOST"),
        wires(RunStatus.values()));
    assertEquals("adamw", Optimizer.ADAMW.toString());
  }

  @Test
  void everyConstantReadsBackFromItsWireValueAndItsJson() throws Exception {
    for (Enum<?>[] values :
        List.<Enum<?>[]>of(
            Optimizer.values(),
            Schedule.values(),
            Freeze.values(),
            Augment.values(),
            Device.values(),
            Arm.values(),
            RunStatus.values())) {
      for (Enum<?> c : values) {
        String json = TEMPORAL.writeValueAsString(c);
        assertEquals("\"" + wire(c) + "\"", json);
        assertEquals(c, TEMPORAL.readValue(json, c.getDeclaringClass()));
      }
    }
  }

  @Test
  void anUnknownValueIsNamedWithTheValuesItCouldHaveBeen() {
    assertEquals(
        "optimizer must be one of sgd|adam|adamw: rmsprop",
        assertThrows(IllegalArgumentException.class, () -> Optimizer.parse("rmsprop"))
            .getMessage());
    assertEquals(
        "schedule must be one of none|step|cosine|plateau: linear",
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse("linear")).getMessage());
    assertEquals(
        "freeze must be one of none|backbone|gradual: all",
        assertThrows(IllegalArgumentException.class, () -> Freeze.parse("all")).getMessage());
    assertEquals(
        "augment must be one of none|light|standard|strong: heavy",
        assertThrows(IllegalArgumentException.class, () -> Augment.parse("heavy")).getMessage());
    assertEquals(
        "device must be one of auto|cpu|gpu: tpu",
        assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu")).getMessage());
    assertEquals(
        "arm must be one of finetune|scratch|pretrain: data",
        assertThrows(IllegalArgumentException.class, () -> Arm.parse("data")).getMessage());
    // Exactly today's values: no other case, no blanks.
    assertThrows(IllegalArgumentException.class, () -> Optimizer.parse("Adam"));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.parse(" adam"));
    assertThrows(IllegalArgumentException.class, () -> RunStatus.parse("running"));
    assertThrows(IllegalArgumentException.class, () -> Device.parse(null));
  }

  @Test
  void aPhaseReadsAsItsWordsAndItsSubject() {
    assertEquals("ingesting /data/x", Phase.INGESTING.of("/data/x"));
    assertEquals("diagnosing", Phase.DIAGNOSING.words());
    assertEquals("canceled", Phase.ended(RunStatus.CANCELED));
  }

  private static List<String> wires(Enum<?>[] values) {
    return java.util.Arrays.stream(values).map(ChoicesTest::wire).toList();
  }

  private static String wire(Enum<?> c) {
    try {
      return (String) c.getClass().getMethod("wire").invoke(c);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
