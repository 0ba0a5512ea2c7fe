package io.tunelab.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import io.tunelab.storage.StoreException;
import java.time.Duration;

/**
 * Connections to Temporal and the object store, opened on first use and checked at once so a dead
 * endpoint is a one-line error (exit 3), not a hang.
 */
public final class Services implements AutoCloseable {
  private final ConnectionOptions options;
  private WorkflowServiceStubs stubs;
  private WorkflowClient client;
  private ObjectStore store;

  public Services(ConnectionOptions options) {
    this.options = options;
  }

  public ConnectionOptions options() {
    return options;
  }

  /** The Temporal client, connected. */
  public synchronized WorkflowClient temporal() {
    if (client == null) {
      try {
        stubs =
            WorkflowServiceStubs.newConnectedServiceStubs(
                WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(options.temporalTarget)
                    // a query needs a live worker; with none, say so after a few seconds instead of
                    // hanging
                    .setRpcQueryTimeout(Duration.ofSeconds(5))
                    .build(),
                Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        throw new UnreachableException(
            "Temporal at "
                + options.temporalTarget
                + " cannot be reached (start it with 'tunelab up' or set TUNELAB_TEMPORAL_TARGET)",
            e);
      }
      client =
          WorkflowClient.newInstance(
              stubs, WorkflowClientOptions.newBuilder().setNamespace(options.namespace).build());
    }
    return client;
  }

  /** The object store, checked. */
  public synchronized ObjectStore store() {
    if (store == null) {
      ObjectStore candidate = ObjectStore.connect(storeConfig());
      try {
        candidate.check();
      } catch (StoreException e) {
        if (e.unreachable()) {
          throw new UnreachableException(
              e.getMessage() + " (start it with 'tunelab up' or set TUNELAB_S3_ENDPOINT)", e);
        }
        throw e;
      }
      store = candidate;
    }
    return store;
  }

  /** The store's configuration with credentials from the environment or TUNELAB_HOME. */
  public StoreConfig storeConfig() {
    S3Credentials creds =
        CredentialStore.resolve(options.home, options.envAccessKey(), options.envSecretKey());
    return new StoreConfig(
        options.s3Endpoint, creds.accessKey(), creds.secretKey(), options.bucket);
  }

  @Override
  public synchronized void close() {
    if (stubs != null) {
      stubs.shutdown();
    }
  }
}
