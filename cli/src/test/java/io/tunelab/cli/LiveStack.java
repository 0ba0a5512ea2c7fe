package io.tunelab.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.tunelab.dataset.IdxReader;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of tests that drive the CLI against a live stack: the embedded Temporal service and S3
 * server on free ports, and an in-process worker that talks to them over the network, started once
 * per test class and stopped after it. Subclasses run verbs through {@link #cli} and look into the
 * bucket through {@link #store}.
 */
abstract class LiveStack {
  /** Where the Debian package {@code dataset-fashion-mnist} installs the idx files. */
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir static Path home;
  static EmbeddedStack stack;
  static TunelabWorker worker;
  static WorkflowServiceStubs stubs;
  static ObjectStore store;
  static CliHarness cli;

  @BeforeAll
  static void startStack() throws Exception {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    stack = EmbeddedStack.start(home, 0, 0, creds, "tunelab");
    store =
        ObjectStore.connect(
            new StoreConfig(
                stack.endpoints().s3Endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(stack.endpoints().temporalTarget())
                .build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    // as `up` starts it: the only worker, so it trains --device gpu runs too
    worker =
        TunelabWorker.start(
            client,
            "tunelab",
            store,
            WorkerSettings.defaults().training(WorkerSettings.Training.EVERY));
    cli = new CliHarness(home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint());
  }

  @AfterAll
  static void stopStack() {
    if (worker != null) {
      worker.close();
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (stack != null) {
      stack.close();
    }
    worker = null;
    stubs = null;
    stack = null;
  }

  /**
   * Waits until the run's workflow has closed. A run's state says COMPLETED as soon as its work is
   * done, while the workflow still writes the report and finishes the record; reads taken in that
   * window differ in their phase.
   */
  static void awaitClosed(String runId) throws java.util.concurrent.TimeoutException {
    WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build())
        .newUntypedWorkflowStub(runId)
        .getResult(
            java.util.concurrent.TimeUnit.MINUTES.toMillis(10),
            java.util.concurrent.TimeUnit.MILLISECONDS,
            Object.class);
  }

  /** The 60,000 Fashion-MNIST training images. */
  static LabeledImages fashionTrain() throws IOException {
    return IdxReader.read(
        FASHION.resolve("train-images-idx3-ubyte.gz"),
        FASHION.resolve("train-labels-idx1-ubyte.gz"));
  }
}
