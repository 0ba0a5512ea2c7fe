package io.tunelab.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.health.v1.HealthCheckResponse;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class EmbeddedStackTest {
  private static final String BUCKET = "tunelab";

  @TempDir static Path home;
  private static S3Credentials credentials;
  private static EmbeddedStack stack;

  @BeforeAll
  static void startStack() {
    credentials = CredentialStore.loadOrCreate(home);
    stack = EmbeddedStack.start(home, 0, 0, credentials, BUCKET);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  private static MinioClient client(S3Credentials keys) {
    return MinioClient.builder()
        .endpoint(stack.endpoints().s3Endpoint())
        .region(EmbeddedObjectStore.REGION)
        .credentials(keys.accessKey(), keys.secretKey())
        .build();
  }

  @Test
  void endpointsAreOnLoopbackWithThePickedPorts() {
    EmbeddedStack.Endpoints endpoints = stack.endpoints();
    assertEquals("127.0.0.1:" + stack.temporal().port(), endpoints.temporalTarget());
    assertEquals("http://127.0.0.1:" + stack.objectStore().port(), endpoints.s3Endpoint());
    assertEquals(BUCKET, endpoints.bucket());
    assertTrue(stack.temporal().port() > 0);
    assertTrue(stack.objectStore().port() > 0);
    assertTrue(Files.isDirectory(home.resolve("objects").resolve(BUCKET)));
  }

  @Test
  void putsAndGetsAnObject() throws Exception {
    byte[] body = "checkpoint bytes \u00e9\u00e8".getBytes(StandardCharsets.UTF_8);
    try (MinioClient client = client(credentials)) {
      client.putObject(
          PutObjectArgs.builder().bucket(BUCKET).object("runs/r1/epoch-1.params").stream(
                  new ByteArrayInputStream(body), body.length, -1)
              .contentType("application/octet-stream")
              .build());
      try (GetObjectResponse in =
          client.getObject(
              GetObjectArgs.builder().bucket(BUCKET).object("runs/r1/epoch-1.params").build())) {
        assertArrayEquals(body, in.readAllBytes());
      }
      assertEquals(
          body.length,
          client
              .statObject(
                  StatObjectArgs.builder().bucket(BUCKET).object("runs/r1/epoch-1.params").build())
              .size());
    }
  }

  @Test
  void refusesWrongCredentials() throws Exception {
    S3Credentials wrongSecret =
        new S3Credentials(credentials.accessKey(), "x" + credentials.secretKey());
    S3Credentials wrongAccess = new S3Credentials("NOSUCHACCESSKEY00000", credentials.secretKey());
    for (S3Credentials wrong : new S3Credentials[] {wrongSecret, wrongAccess}) {
      try (MinioClient client = client(wrong)) {
        ErrorResponseException e =
            assertThrows(
                ErrorResponseException.class,
                () ->
                    client.putObject(
                        PutObjectArgs.builder().bucket(BUCKET).object("intruder").stream(
                                new ByteArrayInputStream(new byte[] {1}), 1, -1)
                            .build()));
        assertEquals(403, e.response().code(), e.toString());
      }
    }
  }

  @Test
  void temporalAnswers() {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(stack.endpoints().temporalTarget())
                .build());
    try {
      HealthCheckResponse health = stubs.healthCheck();
      assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
      DescribeNamespaceResponse namespace =
          stubs
              .blockingStub()
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
      assertEquals("default", namespace.getNamespaceInfo().getName());
      stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } finally {
      stubs.shutdownNow();
      stubs.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void notReachableOnANonLoopbackAddress() throws Exception {
    assertTrue(Network.accepts(Network.LOOPBACK, stack.temporal().port()));
    assertTrue(Network.accepts(Network.LOOPBACK, stack.objectStore().port()));
    Optional<InetAddress> external = Network.reachableNonLoopbackAddress();
    assumeTrue(
        external.isPresent(), "no non-loopback address on which a wildcard listener is reachable");
    assertFalse(
        Network.accepts(external.get(), stack.temporal().port()),
        "Temporal answers on " + external.get());
    assertFalse(
        Network.accepts(external.get(), stack.objectStore().port()),
        "S3 answers on " + external.get());
  }

  @Test
  void closingTwiceIsFineAndFreesThePorts(@TempDir Path otherHome) {
    EmbeddedStack other = EmbeddedStack.start(otherHome, 0, 0, credentials, "second-bucket");
    int temporalPort = other.temporal().port();
    int s3Port = other.objectStore().port();
    other.close();
    other.close();
    assertFalse(Network.accepts(Network.LOOPBACK, temporalPort));
    assertFalse(Network.accepts(Network.LOOPBACK, s3Port));
  }

  @Test
  void aFailedTemporalStartStopsTheObjectStore(@TempDir Path otherHome) {
    int busy = stack.temporal().port();
    long jettyThreadsBefore = jettyThreads();
    EmbeddedStartException e =
        assertThrows(
            EmbeddedStartException.class,
            () -> EmbeddedStack.start(otherHome, busy, 0, credentials, "third-bucket"));
    assertTrue(e.getMessage().contains("127.0.0.1:" + busy), e.getMessage());
    assertEquals(
        jettyThreadsBefore, jettyThreads(), "the object store started on the way is stopped");
  }

  private static long jettyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("S3Proxy-Jetty"))
        .count();
  }
}
