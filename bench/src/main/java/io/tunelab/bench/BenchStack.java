package io.tunelab.bench;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import java.io.IOException;
import java.nio.file.Path;

/** What the benchmarks on an embedded stack share: its clients and their Fashion-MNIST folders. */
final class BenchStack {
  private BenchStack() {}

  /** The stack's bucket. */
  static ObjectStore store(EmbeddedStack stack, S3Credentials creds) {
    return ObjectStore.connect(
        new StoreConfig(
            stack.endpoints().s3Endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
  }

  /** Stubs of the stack's Temporal service. */
  static WorkflowServiceStubs stubs(EmbeddedStack stack) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(stack.endpoints().temporalTarget())
            .build());
  }

  /**
   * Writes the source folder (classes 0-4, 400 images each) under {@code home/data/source-0-4} and
   * the target (classes 5-9, {@code perClass} each) under {@code home/data/target-5-9}; returns the
   * target's file count.
   */
  static int exportFashion(LabeledImages all, Path home, int perClass) throws IOException {
    FashionMnistFolders.export(
        all, new int[] {0, 1, 2, 3, 4}, 400, 1, home.resolve("data/source-0-4"));
    return FashionMnistFolders.export(
            all, new int[] {5, 6, 7, 8, 9}, perClass, 2, home.resolve("data/target-5-9"))
        .size();
  }
}
