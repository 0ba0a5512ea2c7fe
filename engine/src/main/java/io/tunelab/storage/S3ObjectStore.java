package io.tunelab.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.http.HttpUtils;
import io.minio.messages.Item;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The object store over the MinIO client: embedded S3Proxy, MinIO or any S3 endpoint.
 *
 * <p>Writes go through {@link PresignedPut}, not the MinIO client's {@code putObject} (see there).
 * Everything else goes through the MinIO client, over the same HTTP client and connection pool;
 * {@link S3Errors} maps the failures.
 */
public final class S3ObjectStore implements ObjectStore {
  private static final long CONNECT_MILLIS = TimeUnit.SECONDS.toMillis(5);

  /** As the MinIO client's write and read timeouts. */
  private static final long STALL_MILLIS = TimeUnit.MINUTES.toMillis(5);

  private final MinioClient client;
  private final String bucket;
  private final String endpoint;
  private final S3Errors errors;
  private final PresignedPut writer;

  /** Connects lazily to the configured endpoint and bucket. */
  public S3ObjectStore(StoreConfig config) {
    this(config, BodyCheck.AUTO);
  }

  /** Connects lazily to the configured endpoint and bucket; {@code check} as described there. */
  public S3ObjectStore(StoreConfig config, BodyCheck check) {
    this(config, check, false);
  }

  /**
   * As above; {@code okHttpPuts} sends puts over OkHttp even to an {@code http://} endpoint (for
   * tests and the checkpoint-upload benchmark).
   */
  public S3ObjectStore(StoreConfig config, BodyCheck check, boolean okHttpPuts) {
    OkHttpClient http = HttpUtils.newDefaultHttpClient(CONNECT_MILLIS, STALL_MILLIS, STALL_MILLIS);
    this.client =
        MinioClient.builder()
            .endpoint(config.endpoint())
            .credentials(config.accessKey(), config.secretKey())
            .httpClient(http)
            .build();
    this.bucket = config.bucket();
    this.endpoint = config.endpoint();
    this.errors = new S3Errors(bucket, endpoint);
    HttpUrl url = HttpUrl.parse(config.endpoint());
    this.writer =
        new PresignedPut(
            client,
            http,
            bucket,
            errors,
            check.sendsContentMd5(config.endpoint()),
            !okHttpPuts && url != null && !url.isHttps(),
            CONNECT_MILLIS,
            STALL_MILLIS);
  }

  /**
   * The MinIO client of a store backed by S3, for readers of other buckets on its endpoint (an
   * {@code s3://} source).
   *
   * @throws IllegalArgumentException when the store is not an S3 store
   */
  public static MinioClient clientOf(ObjectStore store) {
    if (store instanceof S3ObjectStore s3) {
      return s3.client();
    }
    throw new IllegalArgumentException(
        "s3:// sources are read through an S3 object store, not " + store.endpoint());
  }

  /** Whether puts to this store send {@code Content-MD5} (see {@link BodyCheck}). */
  public boolean sendsContentMd5() {
    return writer.sendsContentMd5();
  }

  /** How puts travel, in words, for logs and benchmarks. */
  public String putDescription() {
    return writer.description(endpoint);
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  /** The client, for readers of other buckets (an {@code s3://} source). */
  public MinioClient client() {
    return client;
  }

  @Override
  public void check() {
    boolean exists =
        errors.call(
            "check bucket " + bucket,
            () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    if (!exists) {
      throw new StoreException("bucket " + bucket + " does not exist at " + endpoint, null, false);
    }
  }

  @Override
  public void ensureBucket() {
    errors.call(
        "create bucket " + bucket,
        () -> {
          if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
          }
          return null;
        });
  }

  /**
   * Writes an object in one presigned {@code PUT} ({@link PresignedPut}); any failure (HTTP error,
   * connection lost midway, {@code Content-MD5} mismatch) is thrown as a {@link StoreException},
   * and S3 never shows a partly written object under the key.
   */
  @Override
  public void put(String key, byte[] bytes, String contentType) {
    errors.call(
        "put " + key,
        () -> {
          writer.put(key, bytes, contentType);
          return null;
        });
  }

  @Override
  public byte[] get(String key) {
    return errors.call(
        "get " + key,
        () -> {
          try (InputStream in =
              client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
          }
        });
  }

  @Override
  public boolean exists(String key) {
    try {
      stat(key);
      return true;
    } catch (ObjectNotFoundException e) {
      return false;
    }
  }

  @Override
  public List<String> list(String prefix) {
    return new ArrayList<>(listSizes(prefix).keySet());
  }

  @Override
  public List<String> listFolders(String prefix) {
    return errors.call(
        "list " + prefix,
        () -> {
          List<String> folders = new ArrayList<>();
          for (Result<Item> r :
              client.listObjects(
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

  @Override
  public String etag(String key) {
    try {
      return stat(key).etag();
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }

  @Override
  public Optional<Instant> lastModified(String key) {
    try {
      return Optional.of(stat(key).lastModified().toInstant());
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public SortedMap<String, Long> listSizes(String prefix) {
    return errors.call(
        "list " + prefix,
        () -> {
          SortedMap<String, Long> keys = new TreeMap<>();
          for (Result<Item> r :
              client.listObjects(
                  ListObjectsArgs.builder()
                      .bucket(bucket)
                      .prefix(prefix)
                      .recursive(true)
                      .build())) {
            Item item = r.get();
            if (!item.isDir()) {
              keys.put(item.objectName(), item.size());
            }
          }
          return keys;
        });
  }

  @Override
  public void delete(String key) {
    errors.call(
        "delete " + key,
        () -> {
          client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
          return null;
        });
  }

  @Override
  public String toString() {
    return "S3ObjectStore[" + endpoint + ", bucket " + bucket + "]";
  }

  private StatObjectResponse stat(String key) {
    return errors.call(
        "stat " + key,
        () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
  }
}
