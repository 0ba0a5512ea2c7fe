package io.tunelab.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bucket tunelab keeps everything in, over the MinIO client: embedded S3Proxy, MinIO or any
 * S3 endpoint. Keys are plain strings; values are bytes.
 */
public final class ObjectStore {
  /** S3's smallest part size, which the MinIO client insists on. */
  private static final long MIN_PART_SIZE = 5L << 20;
  private final MinioClient client;
  private final String bucket;
  private final String endpoint;

  /** Connects lazily to the configured endpoint and bucket. */
  public ObjectStore(StoreConfig config) {
    this.client = MinioClient.builder()
        .endpoint(config.endpoint())
        .credentials(config.accessKey(), config.secretKey())
        .build();
    this.client.setTimeout(TimeUnit.SECONDS.toMillis(5), TimeUnit.MINUTES.toMillis(5),
        TimeUnit.MINUTES.toMillis(5));
    this.bucket = config.bucket();
    this.endpoint = config.endpoint();
  }

  public String bucket() {
    return bucket;
  }

  public String endpoint() {
    return endpoint;
  }

  /** The client, for readers of other buckets (an {@code s3://} source). */
  public MinioClient client() {
    return client;
  }

  /** Fails with a {@link StoreException} unless the endpoint answers and the bucket exists. */
  public void check() {
    boolean exists = call("check bucket " + bucket,
        () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    if (!exists) {
      throw new StoreException("bucket " + bucket + " does not exist at " + endpoint, null, false);
    }
  }

  /** Creates the bucket when it does not exist yet. */
  public void ensureBucket() {
    call("create bucket " + bucket, () -> {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      }
      return null;
    });
  }

  public void put(String key, byte[] bytes) {
    put(key, bytes, "application/octet-stream");
  }

  /**
   * Writes an object in one request. The part size is the object's size (at least S3's 5 MiB
   * minimum), so the MinIO client never switches to a multipart upload for a byte array: S3Proxy
   * 2.6.0 answers CompleteMultipartUpload with HTTP 500 on this classpath (its XML reader needs a
   * newer jackson-databind than Temporal's), which broke every object over 5 MiB.
   */
  public void put(String key, byte[] bytes, String contentType) {
    long partSize = Math.max(MIN_PART_SIZE, bytes.length);
    call("put " + key, () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
        .stream(new ByteArrayInputStream(bytes), bytes.length, partSize).contentType(contentType)
        .build()));
  }

  /** Reads a whole object; {@link ObjectNotFoundException} when it is missing. */
  public byte[] get(String key) {
    return call("get " + key, () -> {
      try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
        return in.readAllBytes();
      }
    });
  }

  /** Whether an object exists. */
  public boolean exists(String key) {
    try {
      call("stat " + key, () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
      return true;
    } catch (ObjectNotFoundException e) {
      return false;
    }
  }

  /** Keys under a prefix, recursively, in lexical order. */
  public List<String> list(String prefix) {
    return call("list " + prefix, () -> {
      List<String> keys = new ArrayList<>();
      for (Result<Item> r : client.listObjects(
          ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
        Item item = r.get();
        if (!item.isDir()) {
          keys.add(item.objectName());
        }
      }
      keys.sort(null);
      return keys;
    });
  }

  /**
   * The folders directly under a prefix (S3 common prefixes with delimiter '/'), each without
   * the prefix and without its trailing '/', in lexical order. Nothing below them is listed.
   */
  public List<String> listFolders(String prefix) {
    return call("list " + prefix, () -> {
      List<String> folders = new ArrayList<>();
      for (Result<Item> r : client.listObjects(
          ListObjectsArgs.builder().bucket(bucket).prefix(prefix).delimiter("/").build())) {
        Item item = r.get();
        String name = item.objectName();
        if (item.isDir() && name.startsWith(prefix) && name.length() > prefix.length() + 1) {
          folders.add(name.substring(prefix.length(), name.length() - 1));
        }
      }
      folders.sort(null);
      return folders;
    });
  }

  /** When an object was last written, or empty when it does not exist. */
  public java.util.Optional<java.time.Instant> lastModified(String key) {
    try {
      return java.util.Optional.of(call("stat " + key, () -> client.statObject(
          StatObjectArgs.builder().bucket(bucket).object(key).build()).lastModified().toInstant()));
    } catch (ObjectNotFoundException e) {
      return java.util.Optional.empty();
    }
  }

  /** Keys under a prefix, recursively, with their sizes, in lexical order of the keys. */
  public java.util.SortedMap<String, Long> listSizes(String prefix) {
    return call("list " + prefix, () -> {
      java.util.SortedMap<String, Long> keys = new java.util.TreeMap<>();
      for (Result<Item> r : client.listObjects(
          ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
        Item item = r.get();
        if (!item.isDir()) {
          keys.put(item.objectName(), item.size());
        }
      }
      return keys;
    });
  }

  /** Removes an object; a missing one is not an error. */
  public void delete(String key) {
    call("delete " + key, () -> {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
      return null;
    });
  }

  @FunctionalInterface
  private interface StoreCall<T> {
    T run() throws Exception;
  }

  private <T> T call(String what, StoreCall<T> op) {
    try {
      return op.run();
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code)) {
        throw new ObjectNotFoundException(bucket, what.substring(what.indexOf(' ') + 1));
      }
      throw new StoreException(what + " failed at " + endpoint + ": " + code + " "
          + e.errorResponse().message(), e, false);
    } catch (IOException e) {
      boolean unreachable = isUnreachable(e);
      throw new StoreException(unreachable
          ? "object store at " + endpoint + " cannot be reached (" + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"
          : what + " failed at " + endpoint + ": " + e.getMessage(), e, unreachable);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new StoreException(what + " failed at " + endpoint + ": " + e.getMessage(), e, false);
    }
  }

  private static boolean isUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }
}
