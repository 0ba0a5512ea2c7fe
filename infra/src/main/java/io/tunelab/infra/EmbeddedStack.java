package io.tunelab.infra;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole embedded stack of a tunelab home: an S3 endpoint over {@code $TUNELAB_HOME/objects} and
 * a Temporal test server, both on 127.0.0.1.
 *
 * <p>The object store starts first, because its failures (an unusable directory) are the more
 * likely ones and it is cheap to undo; Temporal stops first, so that no new tasks are handed out
 * while the store goes away. If either fails to start, whatever was started is stopped again before
 * the exception propagates.
 */
public final class EmbeddedStack implements AutoCloseable {
  /** Subdirectory of the tunelab home that holds the buckets. */
  public static final String OBJECTS_DIR = "objects";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);

  /**
   * Where clients find the running stack.
   *
   * @param temporalTarget the Temporal frontend, {@code "127.0.0.1:PORT"}
   * @param s3Endpoint the S3 endpoint URL, {@code "http://127.0.0.1:PORT"}
   * @param bucket the bucket that exists on the S3 endpoint
   */
  public record Endpoints(String temporalTarget, String s3Endpoint, String bucket) {}

  private final EmbeddedObjectStore objectStore;
  private final EmbeddedTemporal temporal;
  private final Endpoints endpoints;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedStack(EmbeddedObjectStore objectStore, EmbeddedTemporal temporal, String bucket) {
    this.objectStore = objectStore;
    this.temporal = temporal;
    this.endpoints = new Endpoints(temporal.target(), objectStore.endpoint(), bucket);
  }

  /**
   * Starts the object store over {@code home/objects} and the Temporal server.
   *
   * @param home the tunelab home; it and its {@code objects} directory are created (owner-only) if
   *     missing
   * @param temporalPort the Temporal port, or {@code 0} to pick a free one
   * @param s3Port the S3 port, or {@code 0} to pick a free one
   * @param credentials the keys S3 clients must sign with, e.g. from {@link
   *     CredentialStore#resolve(Path, String, String)}
   * @param bucket the bucket to create if absent
   * @return the running stack
   * @throws IllegalArgumentException if a port is outside 0..65535 or an argument is missing
   * @throws EmbeddedStartException if a part cannot start; the message names the port or directory
   */
  public static EmbeddedStack start(
      Path home, int temporalPort, int s3Port, S3Credentials credentials, String bucket) {
    if (home == null) {
      throw new IllegalArgumentException("home must not be null");
    }
    FreePorts.check(temporalPort, "the Temporal");
    FreePorts.check(s3Port, "the S3");
    if (temporalPort != 0 && temporalPort == s3Port) {
      throw new IllegalArgumentException(
          "the Temporal and S3 ports must differ: both are " + temporalPort);
    }
    long begin = System.nanoTime();
    EmbeddedObjectStore objectStore =
        EmbeddedObjectStore.start(home.resolve(OBJECTS_DIR), s3Port, credentials, bucket);
    EmbeddedTemporal temporal;
    try {
      temporal = EmbeddedTemporal.start(temporalPort);
    } catch (RuntimeException e) {
      try {
        objectStore.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    EmbeddedStack stack = new EmbeddedStack(objectStore, temporal, bucket);
    log.info(
        "embedded stack up in {} ms: {}", (System.nanoTime() - begin) / 1_000_000, stack.endpoints);
    return stack;
  }

  /**
   * Returns where clients find the stack.
   *
   * @return the endpoints
   */
  public Endpoints endpoints() {
    return endpoints;
  }

  /**
   * Returns the running Temporal server.
   *
   * @return the Temporal part of the stack
   */
  public EmbeddedTemporal temporal() {
    return temporal;
  }

  /**
   * Returns the running object store.
   *
   * @return the S3 part of the stack
   */
  public EmbeddedObjectStore objectStore() {
    return objectStore;
  }

  /**
   * Stops Temporal, then the object store; objects stay on disk, workflows are lost. Calling it
   * again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    RuntimeException failure = null;
    try {
      temporal.close();
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      objectStore.close();
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
