package io.tunelab.infra;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's Java test server, run in this JVM as a real gRPC service on 127.0.0.1.
 *
 * <p>Workers and clients, in this process or another one on the same machine, reach it at {@link
 * #target()} like any Temporal frontend. The server keeps all state in memory: stopping it loses
 * every workflow. Time runs normally (time skipping is off), so timers and timeouts behave as they
 * do on a real cluster.
 *
 * <p>{@code TestServer.createPortBoundServer} listens on every interface, so this class builds the
 * gRPC server itself, bound to the loopback address only, around the test server's service
 * implementations.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  /** The namespace the test server provides and the readiness check asks about. */
  public static final String NAMESPACE = "default";

  private static final String LOOPBACK = "127.0.0.1";
  private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporal.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration GRACE = Duration.ofSeconds(2);

  private final TestServicesStarter services;
  private final Server server;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
    this.port = server.getPort();
  }

  /**
   * Starts the test server on 127.0.0.1 and returns once it answers a describe-namespace call for
   * {@value #NAMESPACE}.
   *
   * @param port the TCP port, or {@code 0} to let the operating system pick a free one
   * @return the running server
   * @throws IllegalArgumentException if the port is outside 0..65535
   * @throws EmbeddedStartException if the port cannot be bound or the server does not answer
   */
  public static EmbeddedTemporal start(int port) {
    FreePorts.check(port, "the Temporal");
    long begin = System.nanoTime();
    // true: time skipping locked, i.e. real time, as TestServer.createPortBoundServer(port) does.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    Server server;
    try {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(
              new InetSocketAddress(LOOPBACK, port), InsecureServerCredentials.create());
      GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
      server = builder.build().start();
    } catch (IOException | RuntimeException e) {
      services.close();
      throw new EmbeddedStartException(
          "cannot start the Temporal server on 127.0.0.1:"
              + port
              + (port == 0 ? "" : " (is the port already in use?)")
              + ": "
              + Errors.describe(e),
          e);
    }
    EmbeddedTemporal temporal = new EmbeddedTemporal(services, server);
    try {
      temporal.awaitReady();
    } catch (RuntimeException e) {
      temporal.close();
      throw new EmbeddedStartException(
          "the Temporal server on "
              + temporal.target()
              + " did not become ready: "
              + Errors.describe(e),
          e);
    }
    log.info(
        "Temporal test server listening on {} (ready in {} ms)",
        temporal.target(),
        (System.nanoTime() - begin) / 1_000_000);
    return temporal;
  }

  private void awaitReady() {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target()).build());
    try {
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (true) {
        try {
          stubs
              .blockingStub()
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace(NAMESPACE).build());
          return;
        } catch (RuntimeException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          sleep(100);
        }
      }
    } finally {
      stubs.shutdownNow();
      stubs.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Returns the TCP port the server listens on (the one picked, if {@code 0} was asked for).
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the address to give to {@code WorkflowServiceStubsOptions.Builder.setTarget}.
   *
   * @return {@code "127.0.0.1:PORT"}
   */
  public String target() {
    return LOOPBACK + ":" + port;
  }

  /**
   * Stops the gRPC server, giving calls in flight two seconds before cancelling them, and then the
   * test services; every workflow is lost. Stop workers first so that their long polls end by
   * themselves. Calling it again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.shutdown();
    try {
      if (!server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.debug("calls still open on {} after {}; cancelling them", target(), GRACE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Long polls of workers that are still connected would otherwise hold the server open.
      server.shutdownNow();
      services.close();
    }
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("the Temporal server on {} did not stop within 5 s", target());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("Temporal test server on {} stopped", target());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Temporal server", e);
    }
  }
}
