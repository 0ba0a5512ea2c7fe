package io.tunelab.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributeKey;
import io.tunelab.workflows.Visibility;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the namespace knows tunelab's custom search attributes ({@link Visibility#KEYS})
 * before a run is started with them: registers them through Temporal's operator service (the
 * embedded test server and a self-hosted cluster allow it), or, where registering is not allowed (a
 * cloud namespace, a read-only role), checks that an administrator registered them. When neither
 * works the run starts with its memo only: a run must never fail to start, or fail later, over a
 * label.
 */
public final class SearchAttributeSetup {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeSetup.class);

  private SearchAttributeSetup() {}

  /**
   * Whether runs on this client's namespace may carry tunelab's search attributes. Asked at every
   * start, not cached: an embedded server that restarted has forgotten them, and on a cluster that
   * has them each call is a quick "already exists".
   */
  public static boolean ensure(WorkflowClient client) {
    return register(client, client.getOptions().getNamespace());
  }

  private static OperatorServiceGrpc.OperatorServiceBlockingStub operator(WorkflowClient client) {
    return OperatorServiceGrpc.newBlockingStub(client.getWorkflowServiceStubs().getRawChannel())
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static boolean register(WorkflowClient client, String namespace) {
    try {
      for (SearchAttributeKey<?> key : Visibility.KEYS) {
        try {
          operator(client)
              .addSearchAttributes(
                  AddSearchAttributesRequest.newBuilder()
                      .setNamespace(namespace)
                      .putSearchAttributes(key.getName(), key.getValueType())
                      .build());
        } catch (StatusRuntimeException e) {
          if (!alreadyExists(e)) {
            throw e;
          }
        }
      }
      return true;
    } catch (StatusRuntimeException e) {
      log.debug("cannot register search attributes on {}: {}", namespace, e.getStatus());
    }
    try {
      ListSearchAttributesResponse known =
          operator(client)
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
      for (SearchAttributeKey<?> key : Visibility.KEYS) {
        if (!known.getCustomAttributesMap().containsKey(key.getName())) {
          log.info(
              "namespace {} lacks search attribute {}: runs carry their memo only "
                  + "(register with 'temporal operator search-attribute create')",
              namespace,
              key.getName());
          return false;
        }
      }
      return true;
    } catch (StatusRuntimeException e) {
      log.info(
          "cannot register or list search attributes on namespace {} ({}): runs carry "
              + "their memo only",
          namespace,
          e.getStatus().getCode());
      return false;
    }
  }

  private static boolean alreadyExists(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String message =
        String.valueOf(e.getStatus().getDescription()).toLowerCase(java.util.Locale.ROOT);
    return code == Status.Code.ALREADY_EXISTS
        || (code == Status.Code.INVALID_ARGUMENT && message.contains("already"));
  }
}
