package io.tunelab.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.Xml;
import io.minio.errors.ErrorResponseException;
import io.minio.http.HttpUtils;
import io.minio.http.Method;
import io.minio.messages.ErrorResponse;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The bucket tunelab keeps everything in, over the MinIO client: embedded S3Proxy, MinIO or any S3
 * endpoint. Keys are plain strings; values are bytes.
 *
 * <p>Writes ({@link #put(String, byte[], String)}) do not go through the MinIO client's {@code
 * putObject}: see there. Everything else does, over the same HTTP client and connection pool.
 */
public final class ObjectStore {
  /** How long a presigned PUT URL is valid; it is used at once, this only bounds a late start. */
  private static final int PUT_URL_EXPIRY_SECONDS = (int) TimeUnit.MINUTES.toSeconds(15);

  private static final long CONNECT_MILLIS = TimeUnit.SECONDS.toMillis(5);

  /** As the MinIO client's write and read timeouts. */
  private static final long STALL_MILLIS = TimeUnit.MINUTES.toMillis(5);

  private static final int WRITE_CHUNK = 4 << 20;
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tunelab-put-watchdog");
            t.setDaemon(true);
            return t;
          });

  /** How a put lets the server check that the body arrived intact. */
  public enum BodyCheck {
    /**
     * {@code Content-MD5} unless the endpoint is HTTPS (TLS protects the bytes in transit) or a
     * loopback address (the bytes never leave this host's kernel), the default.
     */
    AUTO,
    /** {@code Content-MD5} on every put. */
    ALWAYS_MD5
  }

  private final OkHttpClient http;
  private final MinioClient client;
  private final String bucket;
  private final String endpoint;
  private final boolean contentMd5;
  private final boolean plainHttpPut;

  /** Connects lazily to the configured endpoint and bucket. */
  public ObjectStore(StoreConfig config) {
    this(config, BodyCheck.AUTO);
  }

  /** Connects lazily to the configured endpoint and bucket; {@code check} as described there. */
  public ObjectStore(StoreConfig config, BodyCheck check) {
    this(config, check, false);
  }

  /**
   * As above; {@code okHttpPuts} sends puts over OkHttp even to an {@code http://} endpoint (for
   * tests and the checkpoint-upload benchmark).
   */
  public ObjectStore(StoreConfig config, BodyCheck check, boolean okHttpPuts) {
    this.http =
        HttpUtils.newDefaultHttpClient(
            TimeUnit.SECONDS.toMillis(5),
            TimeUnit.MINUTES.toMillis(5),
            TimeUnit.MINUTES.toMillis(5));
    this.client =
        MinioClient.builder()
            .endpoint(config.endpoint())
            .credentials(config.accessKey(), config.secretKey())
            .httpClient(http)
            .build();
    this.bucket = config.bucket();
    this.endpoint = config.endpoint();
    this.contentMd5 = check == BodyCheck.ALWAYS_MD5 || !transportProtects(config.endpoint());
    HttpUrl url = HttpUrl.parse(config.endpoint());
    this.plainHttpPut = !okHttpPuts && url != null && !url.isHttps();
  }

  /** Whether puts to this store send {@code Content-MD5} (see {@link BodyCheck}). */
  public boolean sendsContentMd5() {
    return contentMd5;
  }

  /** How puts travel, in words, for logs and benchmarks. */
  public String putDescription() {
    return "one PUT over "
        + (plainHttpPut ? "HttpURLConnection" : "OkHttp")
        + ", presigned, UNSIGNED-PAYLOAD, "
        + (contentMd5
            ? "Content-MD5"
            : "no Content-MD5 (" + (endpoint.startsWith("https") ? "TLS" : "loopback") + ")");
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
    boolean exists =
        call(
            "check bucket " + bucket,
            () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    if (!exists) {
      throw new StoreException("bucket " + bucket + " does not exist at " + endpoint, null, false);
    }
  }

  /** Creates the bucket when it does not exist yet. */
  public void ensureBucket() {
    call(
        "create bucket " + bucket,
        () -> {
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
   * Writes an object in one {@code PUT}, and returns once the endpoint has stored all of it; any
   * failure (HTTP error, connection lost midway, {@code Content-MD5} mismatch) is thrown as a
   * {@link StoreException}, and S3 never shows a partly written object under the key. (S3Proxy's
   * filesystem backend lists its temporary {@code KEY-<uuid>} file while a put is in flight, and
   * until it has deleted it after a failed one.)
   *
   * <p>The request carries a presigned URL (the MinIO client signs it: region, addressing style and
   * credentials as for every other call) and an {@code UNSIGNED-PAYLOAD} body, plus {@code
   * Content-MD5} as {@link BodyCheck} says. The MinIO client's {@code putObject} over plain HTTP
   * signs the body instead: it copies the array and hashes it with SHA-256 before sending, and
   * S3Proxy then reads the whole body into memory and hashes it twice more before it starts
   * writing, so nothing overlaps and a checkpoint takes several times longer than writing it to a
   * local file. Here the endpoint stores the body as it arrives. S3Proxy also refuses signed bodies
   * over 128 MiB; this path has no such limit below S3's 5 GB for one PUT. {@code http://}
   * endpoints get the body over {@link HttpURLConnection}, {@code https://} ones over the MinIO
   * client's OkHttp client.
   */
  public void put(String key, byte[] bytes, String contentType) {
    call(
        "put " + key,
        () -> {
          String url =
              client.getPresignedObjectUrl(
                  GetPresignedObjectUrlArgs.builder()
                      .method(Method.PUT)
                      .bucket(bucket)
                      .object(key)
                      .expiry(PUT_URL_EXPIRY_SECONDS)
                      .build());
          String md5 = contentMd5 ? Base64.getEncoder().encodeToString(md5(bytes)) : null;
          if (plainHttpPut) {
            plainHttpPut(key, url, bytes, contentType, md5);
          } else {
            okHttpPut(key, url, bytes, contentType, md5);
          }
          return null;
        });
  }

  /** The put over the MinIO client's OkHttp client (TLS set up as for every other call). */
  private void okHttpPut(String key, String url, byte[] bytes, String contentType, String md5)
      throws IOException {
    Request.Builder request =
        new Request.Builder()
            .url(url)
            .header("Content-Type", contentType)
            .header("Accept-Encoding", "identity")
            .put(RequestBody.create(bytes));
    if (md5 != null) {
      request.header("Content-MD5", md5);
    }
    try (Response response = http.newCall(request.build()).execute()) {
      if (!response.isSuccessful()) {
        ResponseBody body = response.body();
        throw failure("put " + key, response.code(), body == null ? "" : body.string());
      }
    }
  }

  /**
   * The put over the JDK's {@link HttpURLConnection}, for {@code http://} endpoints: it hands the
   * whole body to the socket in large writes where OkHttp writes 8 KiB segments, which makes the
   * put faster against S3Proxy (see the checkpoint-upload benchmark). A connection lost after
   * connecting (a kept-alive connection the server had closed) is retried once on a new one; the
   * put is idempotent. Writes make progress or the connection is closed after {@link
   * #STALL_MILLIS}.
   */
  private void plainHttpPut(String key, String url, byte[] bytes, String contentType, String md5)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
      Stall stall = new Stall(connection);
      try {
        connection.setRequestMethod("PUT");
        connection.setDoOutput(true);
        connection.setUseCaches(false);
        connection.setConnectTimeout((int) CONNECT_MILLIS);
        connection.setReadTimeout((int) STALL_MILLIS);
        connection.setFixedLengthStreamingMode(bytes.length);
        connection.setRequestProperty("Content-Type", contentType);
        connection.setRequestProperty("Accept-Encoding", "identity");
        if (md5 != null) {
          connection.setRequestProperty("Content-MD5", md5);
        }
        boolean connected = false;
        try {
          connection.connect();
          connected = true;
          try (OutputStream out = connection.getOutputStream()) {
            for (int off = 0; off < bytes.length; off += WRITE_CHUNK) {
              stall.progress();
              out.write(bytes, off, Math.min(WRITE_CHUNK, bytes.length - off));
            }
            stall.progress();
          }
          int code = connection.getResponseCode();
          if (code / 100 != 2) {
            InputStream error = connection.getErrorStream();
            String text;
            try (InputStream in = error) {
              text = in == null ? "" : new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            throw failure("put " + key, code, text);
          }
          try (InputStream in = connection.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream()); // back to the keep-alive cache
          }
          return;
        } catch (IOException e) {
          connection.disconnect();
          if (stall.fired()) {
            throw new IOException("no progress for " + STALL_MILLIS / 1000 + " s", e);
          }
          if (!connected || attempt > 1 || e instanceof SocketTimeoutException) {
            throw e;
          }
        }
      } finally {
        stall.done();
      }
    }
  }

  /** Closes a connection whose writes make no progress for {@link #STALL_MILLIS}. */
  private static final class Stall {
    private final HttpURLConnection connection;
    private volatile boolean fired;
    private ScheduledFuture<?> pending;

    Stall(HttpURLConnection connection) {
      this.connection = connection;
    }

    synchronized void progress() {
      if (pending != null) {
        pending.cancel(false);
      }
      pending =
          WATCHDOG.schedule(
              () -> {
                fired = true;
                connection.disconnect();
              },
              STALL_MILLIS,
              TimeUnit.MILLISECONDS);
    }

    synchronized void done() {
      if (pending != null) {
        pending.cancel(false);
      }
    }

    boolean fired() {
      return fired;
    }
  }

  /** A failed put as a {@link StoreException}: the S3 error code and message when there is one. */
  private StoreException failure(String what, int status, String body) {
    String detail = null;
    if (body.contains("<Error>")) {
      try {
        ErrorResponse error = Xml.unmarshal(ErrorResponse.class, body);
        detail = error.code() + " " + error.message();
      } catch (Exception notXml) {
        // the excerpt below
      }
    }
    if (detail == null) {
      String excerpt = body.length() > 300 ? body.substring(0, 300) + "..." : body;
      detail = "HTTP " + status + (excerpt.isBlank() ? "" : " " + excerpt.strip());
    }
    return new StoreException(what + " failed at " + endpoint + ": " + detail, null, false);
  }

  private static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks MD5", e);
    }
  }

  /** HTTPS, or a loopback address written as such (no name is resolved). */
  static boolean transportProtects(String endpoint) {
    HttpUrl url = HttpUrl.parse(endpoint);
    if (url == null) {
      return false;
    }
    if (url.isHttps()) {
      return true;
    }
    String host = url.host().toLowerCase(Locale.ROOT);
    if (host.equals("localhost")) {
      return true;
    }
    if (host.matches("[0-9.]+") || host.contains(":")) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  /** Reads a whole object; {@link ObjectNotFoundException} when it is missing. */
  public byte[] get(String key) {
    return call(
        "get " + key,
        () -> {
          try (InputStream in =
              client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
          }
        });
  }

  /** Whether an object exists. */
  public boolean exists(String key) {
    try {
      call(
          "stat " + key,
          () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
      return true;
    } catch (ObjectNotFoundException e) {
      return false;
    }
  }

  /** Keys under a prefix, recursively, in lexical order. */
  public List<String> list(String prefix) {
    return call(
        "list " + prefix,
        () -> {
          List<String> keys = new ArrayList<>();
          for (Result<Item> r :
              client.listObjects(
                  ListObjectsArgs.builder()
                      .bucket(bucket)
                      .prefix(prefix)
                      .recursive(true)
                      .build())) {
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
   * The folders directly under a prefix (S3 common prefixes with delimiter '/'), each without the
   * prefix and without its trailing '/', in lexical order. Nothing below them is listed.
   */
  public List<String> listFolders(String prefix) {
    return call(
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

  /**
   * The entity tag of an object as the endpoint reports it now (it changes whenever the bytes do),
   * or {@code null} when the object does not exist.
   */
  public String etag(String key) {
    try {
      return call(
          "stat " + key,
          () ->
              client
                  .statObject(StatObjectArgs.builder().bucket(bucket).object(key).build())
                  .etag());
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }

  /** When an object was last written, or empty when it does not exist. */
  public java.util.Optional<java.time.Instant> lastModified(String key) {
    try {
      return java.util.Optional.of(
          call(
              "stat " + key,
              () ->
                  client
                      .statObject(StatObjectArgs.builder().bucket(bucket).object(key).build())
                      .lastModified()
                      .toInstant()));
    } catch (ObjectNotFoundException e) {
      return java.util.Optional.empty();
    }
  }

  /** Keys under a prefix, recursively, with their sizes, in lexical order of the keys. */
  public java.util.SortedMap<String, Long> listSizes(String prefix) {
    return call(
        "list " + prefix,
        () -> {
          java.util.SortedMap<String, Long> keys = new java.util.TreeMap<>();
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

  /** Removes an object; a missing one is not an error. */
  public void delete(String key) {
    call(
        "delete " + key,
        () -> {
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
      throw new StoreException(
          what + " failed at " + endpoint + ": " + code + " " + e.errorResponse().message(),
          e,
          false);
    } catch (IOException e) {
      boolean unreachable = isUnreachable(e);
      throw new StoreException(
          unreachable
              ? "object store at "
                  + endpoint
                  + " cannot be reached ("
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + e.getMessage())
                  + ")"
              : what + " failed at " + endpoint + ": " + e.getMessage(),
          e,
          unreachable);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new StoreException(what + " failed at " + endpoint + ": " + e.getMessage(), e, false);
    }
  }

  private static boolean isUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }
}
