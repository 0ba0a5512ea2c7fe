package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.TrainingParams;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stop, pause and unpause against a stack with no worker: errors are one line, signals go out. */
@Tag("integration")
class SignalsTest {
  @TempDir static Path home;
  static EmbeddedStack stack;
  static WorkflowServiceStubs stubs;
  static CliHarness cli;

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.start(home, 0, 0, CredentialStore.resolve(home, null, null), "tunelab");
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(stack.endpoints().temporalTarget())
                .build());
    cli = new CliHarness(home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint());
  }

  @AfterAll
  static void stop() {
    stubs.shutdownNow();
    stack.close();
  }

  @Test
  void anUnknownRunOrArmIsABadUsage() {
    for (String verb : new String[] {"stop", "pause", "unpause"}) {
      CliHarness.Result r = cli.run(verb, "no-such-run");
      assertEquals(2, r.code(), verb + ": " + r.err());
      assertTrue(r.err().contains("no run named 'no-such-run'"), r.err());
    }
    CliHarness.Result arm = cli.run("stop", "no-such-run", "--arm", "baseline");
    assertEquals(2, arm.code());
    assertTrue(arm.err().contains("--arm must be finetune or scratch"), arm.err());
  }

  @Test
  void signalsReachAnOpenRunEvenWithNoWorkerToAnswerQueries() {
    WorkflowClient client = WorkflowClient.newInstance(stubs);
    ExperimentSpec spec =
        ExperimentSpec.builder()
            .runId("waiting")
            .source("/data/x")
            .pretrained("m")
            .finetune(
                TrainingParams.builder()
                    .epochs(2)
                    .batchSize(32)
                    .learningRate(0.001)
                    .seed(1)
                    .device(Device.CPU)
                    .build())
            .scratchLearningRate(0.01)
            .build();
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            "ExperimentWorkflow",
            WorkflowOptions.newBuilder().setWorkflowId("waiting").setTaskQueue("tunelab").build());
    stub.start(spec);
    for (String verb : new String[] {"pause", "unpause", "stop"}) {
      CliHarness.Result r = cli.run(verb, "waiting");
      assertEquals(0, r.code(), verb + ": " + r.err());
    }
    var history = client.fetchHistory("waiting").getEvents();
    assertEquals(
        3, history.stream().filter(e -> e.hasWorkflowExecutionSignaledEventAttributes()).count());
  }
}
