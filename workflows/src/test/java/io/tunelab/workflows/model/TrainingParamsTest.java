package io.tunelab.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The builders' defaults and validation, and the JSON of the records in histories. */
class TrainingParamsTest {
  private static final ObjectMapper TEMPORAL = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  /** The fine-tune parameters of the golden history experiment-probes.json, as recorded. */
  private static final String OLD_PARAMS =
      "{\"epochs\":5,\"batchSize\":32,\"learningRate\":0.001,\"optimizer\":\"adam\","
          + "\"weightDecay\":0.0,\"augment\":\"none\",\"freeze\":\"none\","
          + "\"earlyStoppingPatience\":2,\"schedule\":\"none\",\"seed\":1,\"device\":\"cpu\"}";

  private static TrainingParams.Builder valid() {
    return TrainingParams.builder().epochs(5).batchSize(32).learningRate(0.001);
  }

  @Test
  void theBuilderDefaultsAreTheOldShortConstructorsDefaults() {
    TrainingParams p = valid().build();
    assertEquals(Optimizer.ADAM, p.optimizer());
    assertEquals(Augment.NONE, p.augment());
    assertEquals(Freeze.NONE, p.freeze());
    assertEquals(Schedule.NONE, p.schedule());
    assertEquals(Device.AUTO, p.device());
    assertEquals(TrainingParams.DEFAULT_HEAD_DROPOUT, p.headDropout());
    assertEquals(1.0, p.backboneLrFactor());
    assertEquals(0, p.checkpointEverySeconds());
    assertEquals(List.of(128), p.hidden());
    assertEquals(0.0, p.dropout());
    assertEquals(0.0, p.l2());
    assertEquals(p, p.toBuilder().build());
    assertEquals(0.5, p.withLearningRate(0.5).learningRate());
    assertEquals(Freeze.GRADUAL, p.withFreeze(Freeze.GRADUAL).freeze());
  }

  @Test
  void everyFieldIsValidatedWithAMessageNamingIt() {
    assertInvalid("epochs must be > 0: 0", b -> b.epochs(0));
    assertInvalid("batch size must be > 0: -1", b -> b.batchSize(-1));
    assertInvalid("learning rate must be > 0: 0.0", b -> b.learningRate(0));
    assertInvalid("weight decay must be >= 0: -0.1", b -> b.weightDecay(-0.1));
    assertInvalid("early-stopping patience must be >= 0: -1", b -> b.earlyStoppingPatience(-1));
    assertInvalid("min-delta must be >= 0: -1.0", b -> b.minDelta(-1));
    assertInvalid("warmup epochs must be >= 0: -2", b -> b.warmupEpochs(-2));
    assertInvalid("head dropout must be in [0, 1): 1.0", b -> b.headDropout(1));
    assertInvalid("label smoothing must be in [0, 1): 1.5", b -> b.labelSmoothing(1.5));
    assertInvalid("dropout must be in [0, 1): 1.0", b -> b.dropout(1));
    assertInvalid("l2 must be finite and >= 0: -0.01", b -> b.l2(-0.01));
    assertInvalid(
        "hidden layer units must be in [1, 65536]: [64, 0]", b -> b.hidden(List.of(64, 0)));
    assertInvalid(
        "backbone learning-rate factor must be in (0, 10]: 11.0", b -> b.backboneLrFactor(11));
    assertInvalid(
        "checkpoint interval must be >= 0 seconds (0 = at epoch ends only): -1",
        b -> b.checkpointEverySeconds(-1));
    assertInvalid("optimizer must not be null", b -> b.optimizer(null));
    assertInvalid("augment must not be null", b -> b.augment(null));
    assertInvalid("freeze must not be null", b -> b.freeze(null));
    assertInvalid("schedule must not be null", b -> b.schedule(null));
    assertInvalid("device must not be null", b -> b.device(null));
  }

  @Test
  void aHistoryWrittenBeforeTheLaterFieldsReadsWithTheirOldMeaningAndWritesTheSameValues()
      throws Exception {
    TrainingParams p = TEMPORAL.readValue(OLD_PARAMS, TrainingParams.class);
    assertEquals(Optimizer.ADAM, p.optimizer());
    assertEquals(Device.CPU, p.device());
    assertEquals(1.0, p.backboneLrFactor(), "a missing factor means one rate for all");
    assertEquals(0, p.checkpointEverySeconds());
    String json = TEMPORAL.writeValueAsString(p);
    assertEquals(
        OLD_PARAMS.substring(0, OLD_PARAMS.length() - 1)
            + ",\"minDelta\":0.0,\"warmupEpochs\":0,\"headDropout\":0.0,\"labelSmoothing\":0.0,"
            + "\"classWeighted\":false,\"backboneLrFactor\":1.0,\"checkpointEverySeconds\":0}",
        json);
    assertEquals(p, TEMPORAL.readValue(json, TrainingParams.class));
  }

  @Test
  void headReuseIsWrittenOnlyWhenGiven() throws Exception {
    TrainingParams old = TEMPORAL.readValue(OLD_PARAMS, TrainingParams.class);
    assertEquals(Head.NEW, old.head());
    assertEquals(false, TEMPORAL.writeValueAsString(old).contains("head\""));
    TrainingParams reuse = old.toBuilder().head(Head.REUSE).build();
    String json = TEMPORAL.writeValueAsString(reuse);
    assertEquals(true, json.endsWith(",\"head\":\"reuse\"}"), json);
    assertEquals(reuse, TEMPORAL.readValue(json, TrainingParams.class));
  }

  @Test
  void milestonesAndGammaAreWrittenOnlyWhenGivenAndValidated() throws Exception {
    TrainingParams old = TEMPORAL.readValue(OLD_PARAMS, TrainingParams.class);
    assertEquals(List.of(), old.milestones());
    assertEquals(TrainingParams.DEFAULT_GAMMA, old.gamma());
    String plain = TEMPORAL.writeValueAsString(old);
    assertEquals(false, plain.contains("milestones") || plain.contains("gamma"), plain);
    TrainingParams step = old.toBuilder().milestones(List.of(4, 8)).gamma(0.5).build();
    String json = TEMPORAL.writeValueAsString(step);
    assertEquals(true, json.endsWith(",\"milestones\":[4,8],\"gamma\":0.5}"), json);
    assertEquals(step, TEMPORAL.readValue(json, TrainingParams.class));
    assertInvalid(
        "milestones must be epochs >= 1 in increasing order: [8, 4]",
        b -> b.milestones(List.of(8, 4)));
    assertInvalid("gamma must be in (0, 1]: 1.5", b -> b.gamma(1.5));
  }

  @Test
  void theDenseNetworkSettingsAreWrittenOnlyWhenNotTheirDefaults() throws Exception {
    TrainingParams old = TEMPORAL.readValue(OLD_PARAMS, TrainingParams.class);
    assertEquals(List.of(128), old.hidden(), "absent hidden layers are one of 128 units");
    assertEquals(0.0, old.dropout());
    assertEquals(0.0, old.l2());
    TrainingParams mlp = old.toBuilder().hidden(List.of(64, 32)).dropout(0.5).l2(0.01).build();
    String json = TEMPORAL.writeValueAsString(mlp);
    assertEquals(true, json.endsWith(",\"hidden\":[64,32],\"dropout\":0.5,\"l2\":0.01}"), json);
    assertEquals(mlp, TEMPORAL.readValue(json, TrainingParams.class));
    assertEquals(old, old.toBuilder().hidden(List.of(128)).build());
    assertEquals(old, old.toBuilder().hidden(null).build(), "no hidden layers means the default");
  }

  @Test
  void anOldExperimentSpecReadsWithProbesOnAndItsBuilderNamesBadFields() throws Exception {
    String old =
        "{\"runId\":\"golden-1\",\"source\":\"/data/x\",\"classes\":[],\"perClass\":0,"
            + "\"pretrained\":\"src-model\",\"finetune\":"
            + OLD_PARAMS
            + ",\"scratchLearningRate\":0.002,\"scratch\":true,\"trigger\":\"cli\","
            + "\"datasetName\":null,\"datasetVersion\":null}";
    ExperimentSpec spec = TEMPORAL.readValue(old, ExperimentSpec.class);
    assertNull(spec.resume());
    assertEquals(false, spec.skipProbes());
    assertEquals(
        spec,
        ExperimentSpec.builder()
            .runId("golden-1")
            .source("/data/x")
            .pretrained("src-model")
            .finetune(spec.finetune())
            .scratchLearningRate(0.002)
            .build());
    assertEquals(Freeze.NONE, spec.scratchParams().freeze());
    assertEquals(0.002, spec.scratchParams().learningRate());

    ExperimentSpec.Builder b =
        ExperimentSpec.builder()
            .runId("r")
            .source("/data/x")
            .pretrained("m")
            .finetune(valid().build())
            .scratchLearningRate(0.01);
    assertEquals(List.of(), b.build().classes());
    assertEquals(
        "scratch learning rate must be > 0: 0.0",
        assertThrows(IllegalArgumentException.class, () -> b.scratchLearningRate(0).build())
            .getMessage());
    assertEquals(
        "trigger must be cli or watch: cron",
        assertThrows(
                IllegalArgumentException.class,
                () -> b.scratchLearningRate(0.01).trigger("cron").build())
            .getMessage());
    assertEquals(
        "finetune parameters must not be null",
        assertThrows(IllegalArgumentException.class, () -> b.trigger("cli").finetune(null).build())
            .getMessage());
  }

  private static void assertInvalid(String message, UnaryOperator<TrainingParams.Builder> change) {
    assertEquals(
        message,
        assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build())
            .getMessage());
  }
}
