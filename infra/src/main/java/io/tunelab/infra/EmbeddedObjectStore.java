package io.tunelab.infra;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3 endpoint on 127.0.0.1 that keeps its objects as plain files in a local directory.
 *
 * <p>It runs S3Proxy in this JVM with its {@code filesystem-nio2} blob store: each bucket is a
 * subdirectory of the data directory and each object a file in it. Requests must be signed with AWS
 * signature version 2 or 4 using the given {@link S3Credentials}; the region is {@value #REGION}.
 *
 * <p>S3Proxy, jclouds and Jetty log every request at DEBUG level. When logback is the SLF4J backend
 * and their loggers have no level configured, starting the store sets them to WARN; a level set in
 * {@code logback.xml} wins.
 */
public final class EmbeddedObjectStore implements AutoCloseable {
  /** The region the endpoint reports and clients should sign for. */
  public static final String REGION = "us-east-1";

  /**
   * S3Proxy's own filesystem blob store. Unlike jclouds' {@code filesystem} provider it lists no
   * directory as an object, and it keeps the same layout: one file per object under the bucket's
   * directory, metadata in extended attributes.
   */
  static final String PROVIDER = "filesystem-nio2";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedObjectStore.class);

  private final S3Proxy proxy;
  private final BlobStoreContext blobStoreContext;
  private final int port;
  private final Path dataDir;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedObjectStore(S3Proxy proxy, BlobStoreContext context, Path dataDir) {
    this.proxy = proxy;
    this.blobStoreContext = context;
    this.port = proxy.getPort();
    this.dataDir = dataDir;
  }

  /**
   * Starts the S3 endpoint on 127.0.0.1 and creates the bucket if it does not exist yet.
   *
   * @param dataDir directory holding the buckets, usually {@code $TUNELAB_HOME/objects}; created
   *     (owner-only) if missing
   * @param port the TCP port, or {@code 0} to let the operating system pick a free one
   * @param credentials the keys clients must sign their requests with
   * @param bucket the bucket to create if absent, a valid S3 bucket name
   * @return the running endpoint
   * @throws IllegalArgumentException if the port is outside 0..65535
   * @throws EmbeddedStartException if the directory cannot be used, the port cannot be bound, or
   *     the bucket cannot be created; the message names the directory, port or bucket
   */
  public static EmbeddedObjectStore start(
      Path dataDir, int port, S3Credentials credentials, String bucket) {
    FreePorts.check(port, "the S3");
    if (credentials == null) {
      throw new IllegalArgumentException("credentials must not be null");
    }
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("bucket must not be blank");
    }
    long begin = System.nanoTime();
    ThirdPartyLogging.quiet();
    Path dir = prepareDataDir(dataDir);

    Properties overrides = new Properties();
    overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, dir.toString());
    BlobStoreContext context;
    try {
      context =
          ContextBuilder.newBuilder(PROVIDER)
              .credentials("tunelab", "tunelab")
              .overrides(overrides)
              .buildView(BlobStoreContext.class);
    } catch (RuntimeException e) {
      throw new EmbeddedStartException(
          "cannot open the object directory " + dir + ": " + Errors.describe(e), e);
    }

    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, credentials.accessKey(), credentials.secretKey())
            // As MinIO does: an x-amz- header S3Proxy does not know (such as x-amz-checksum-type
            // or x-amz-mp-object-size, which current SDKs send on multipart uploads) is ignored
            // rather than answered with NotImplemented.
            .ignoreUnknownHeaders(true)
            .build();
    try {
      proxy.start();
    } catch (Exception e) {
      stopQuietly(proxy);
      context.close();
      throw new EmbeddedStartException(
          "cannot start the S3 endpoint on 127.0.0.1:"
              + port
              + (port == 0 ? "" : " (is the port already in use?)")
              + ": "
              + Errors.describe(e),
          e);
    }

    EmbeddedObjectStore store = new EmbeddedObjectStore(proxy, context, dir);
    try {
      store.ensureBucket(credentials, bucket);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    log.info(
        "S3 endpoint listening on {} with bucket {} in {} (ready in {} ms)",
        store.endpoint(),
        bucket,
        dir,
        (System.nanoTime() - begin) / 1_000_000);
    return store;
  }

  private static Path prepareDataDir(Path dataDir) {
    if (dataDir == null) {
      throw new IllegalArgumentException("dataDir must not be null");
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      OwnerOnly.createDirectories(dir);
    } catch (IOException e) {
      throw new EmbeddedStartException(
          "cannot create the object directory " + dir + ": " + Errors.describe(e), e);
    }
    if (!Files.isDirectory(dir)) {
      throw new EmbeddedStartException("the object directory " + dir + " is not a directory", null);
    }
    if (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir)) {
      throw new EmbeddedStartException(
          "the object directory " + dir + " is not readable and writable by this user", null);
    }
    return dir;
  }

  private void ensureBucket(S3Credentials credentials, String bucket) {
    try (MinioClient client =
        MinioClient.builder()
            .endpoint(endpoint())
            .region(REGION)
            .credentials(credentials.accessKey(), credentials.secretKey())
            .build()) {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        log.info("created bucket {} in {}", bucket, dataDir);
      }
    } catch (Exception e) {
      throw new EmbeddedStartException(
          "cannot create the bucket '"
              + bucket
              + "' on "
              + endpoint()
              + " (directory "
              + dataDir
              + "): "
              + Errors.describe(e),
          e);
    }
  }

  /**
   * Returns the URL to give S3 clients, such as {@code MinioClient.Builder.endpoint}.
   *
   * @return {@code "http://127.0.0.1:PORT"}
   */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Returns the TCP port the endpoint listens on (the one picked, if {@code 0} was asked for).
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the directory that holds the buckets.
   *
   * @return the absolute data directory
   */
  public Path dataDir() {
    return dataDir;
  }

  /** Stops the endpoint; objects stay on disk. Calling it again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopQuietly(proxy);
    blobStoreContext.close();
    log.info("S3 endpoint on {} stopped", endpoint());
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception e) {
      log.warn("stopping S3Proxy failed: {}", Errors.describe(e));
    }
  }
}
