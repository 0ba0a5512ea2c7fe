package io.tunelab.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class EmbeddedTemporalTest {

  @Test
  void startsOnAGivenPortAndStopsCleanly() throws Exception {
    int port = FreePorts.pick();
    EmbeddedTemporal temporal = EmbeddedTemporal.start(port);
    try {
      assertEquals(port, temporal.port());
      assertEquals("127.0.0.1:" + port, temporal.target());
      assertTrue(Network.accepts(Network.LOOPBACK, port));
      Optional<InetAddress> external = Network.reachableNonLoopbackAddress();
      if (external.isPresent()) {
        assertFalse(Network.accepts(external.get(), port), "answers on " + external.get());
      }
    } finally {
      temporal.close();
    }
    temporal.close();
    assertFalse(Network.accepts(Network.LOOPBACK, port));
    // The port is free again: a new server can take it.
    try (EmbeddedTemporal again = EmbeddedTemporal.start(port)) {
      assertEquals(port, again.port());
    }
  }

  @Test
  void refusesAPortInUseNamingIt() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, Network.LOOPBACK)) {
      int port = busy.getLocalPort();
      EmbeddedStartException e =
          assertThrows(EmbeddedStartException.class, () -> EmbeddedTemporal.start(port));
      assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }
  }

  @Test
  void refusesAnImpossiblePort() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EmbeddedTemporal.start(70000));
    assertTrue(e.getMessage().contains("70000"), e.getMessage());
  }

  @Test
  void acceptsAWorkflowStartFromAClient() {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
      try {
        WorkflowClient client = WorkflowClient.newInstance(stubs);
        WorkflowStub workflow =
            client.newUntypedWorkflowStub(
                "NoWorkerNeeded",
                WorkflowOptions.newBuilder()
                    .setWorkflowId("embedded-temporal-test")
                    .setTaskQueue("nobody-polls")
                    .build());
        WorkflowExecution execution = workflow.start();
        assertEquals(
            "NoWorkerNeeded",
            stubs
                .blockingStub()
                .describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(EmbeddedTemporal.NAMESPACE)
                        .setExecution(execution)
                        .build())
                .getWorkflowExecutionInfo()
                .getType()
                .getName());
      } finally {
        stubs.shutdownNow();
        stubs.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
