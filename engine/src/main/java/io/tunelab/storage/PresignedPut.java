package io.tunelab.storage;

import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.http.Method;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Writes an object in one {@code PUT} to a presigned URL with an {@code UNSIGNED-PAYLOAD} body,
 * instead of the MinIO client's {@code putObject}.
 *
 * <p>The MinIO client signs the URL (region, addressing style and credentials as for every other
 * call); {@code Content-MD5} goes along as {@link BodyCheck} says. The MinIO client's {@code
 * putObject} over plain HTTP signs the body instead: it copies the array and hashes it with SHA-256
 * before sending, and S3Proxy then reads the whole body into memory and hashes it twice more before
 * it starts writing, so nothing overlaps and a checkpoint takes several times longer than writing
 * it to a local file. Here the endpoint stores the body as it arrives. S3Proxy also refuses signed
 * bodies over 128 MiB; this path has no such limit below S3's 5 GB for one PUT.
 *
 * <p>{@code http://} endpoints get the body over {@link HttpURLConnection}, which hands the whole
 * body to the socket in large writes where OkHttp writes 8 KiB segments (faster against S3Proxy);
 * {@code https://} ones over the MinIO client's OkHttp client.
 */
final class PresignedPut {
  /** How long a presigned PUT URL is valid; it is used at once, this only bounds a late start. */
  private static final int URL_EXPIRY_SECONDS = (int) TimeUnit.MINUTES.toSeconds(15);

  private static final int WRITE_CHUNK = 4 << 20;

  private final MinioClient client;
  private final OkHttpClient http;
  private final String bucket;
  private final S3Errors errors;
  private final boolean contentMd5;
  private final boolean overHttpUrlConnection;
  private final long connectMillis;
  private final long stallMillis;

  /**
   * A writer to one bucket.
   *
   * @param client signs the URLs
   * @param http the client's HTTP client, for puts over OkHttp
   * @param contentMd5 whether puts send {@code Content-MD5}
   * @param overHttpUrlConnection whether puts go over {@link HttpURLConnection} (else OkHttp)
   * @param connectMillis the connect timeout over {@link HttpURLConnection}
   * @param stallMillis how long a write or the answer may make no progress
   */
  PresignedPut(
      MinioClient client,
      OkHttpClient http,
      String bucket,
      S3Errors errors,
      boolean contentMd5,
      boolean overHttpUrlConnection,
      long connectMillis,
      long stallMillis) {
    this.client = client;
    this.http = http;
    this.bucket = bucket;
    this.errors = errors;
    this.contentMd5 = contentMd5;
    this.overHttpUrlConnection = overHttpUrlConnection;
    this.connectMillis = connectMillis;
    this.stallMillis = stallMillis;
  }

  boolean sendsContentMd5() {
    return contentMd5;
  }

  /** How puts travel, in words, for logs and benchmarks. */
  String description(String endpoint) {
    return "one PUT over "
        + (overHttpUrlConnection ? "HttpURLConnection" : "OkHttp")
        + ", presigned, UNSIGNED-PAYLOAD, "
        + (contentMd5
            ? "Content-MD5"
            : "no Content-MD5 (" + (endpoint.startsWith("https") ? "TLS" : "loopback") + ")");
  }

  /**
   * Writes the object and returns once the endpoint has stored all of it; an HTTP error, a
   * connection lost midway or a {@code Content-MD5} mismatch is thrown. (S3Proxy's filesystem
   * backend lists its temporary {@code KEY-<uuid>} file while a put is in flight, and until it has
   * deleted it after a failed one.)
   */
  void put(String key, byte[] bytes, String contentType) throws Exception {
    String url =
        client.getPresignedObjectUrl(
            GetPresignedObjectUrlArgs.builder()
                .method(Method.PUT)
                .bucket(bucket)
                .object(key)
                .expiry(URL_EXPIRY_SECONDS)
                .build());
    String md5 = contentMd5 ? Base64.getEncoder().encodeToString(md5(bytes)) : null;
    if (overHttpUrlConnection) {
      httpUrlConnectionPut(key, url, bytes, contentType, md5);
    } else {
      okHttpPut(key, url, bytes, contentType, md5);
    }
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
        throw errors.httpFailure("put " + key, response.code(), body == null ? "" : body.string());
      }
    }
  }

  /**
   * The put over the JDK's {@link HttpURLConnection}. A connection lost after connecting (a
   * kept-alive connection the server had closed) is retried once on a new one; the put is
   * idempotent. Writes make progress or a {@link StallWatchdog} closes the connection.
   */
  private void httpUrlConnectionPut(
      String key, String url, byte[] bytes, String contentType, String md5) throws IOException {
    for (int attempt = 1; ; attempt++) {
      HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
      StallWatchdog stall = new StallWatchdog(connection, stallMillis);
      try {
        connection.setRequestMethod("PUT");
        connection.setDoOutput(true);
        connection.setUseCaches(false);
        connection.setConnectTimeout((int) connectMillis);
        connection.setReadTimeout((int) stallMillis);
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
            throw errors.httpFailure("put " + key, code, text);
          }
          try (InputStream in = connection.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream()); // back to the keep-alive cache
          }
          return;
        } catch (IOException e) {
          connection.disconnect();
          if (stall.fired()) {
            throw new IOException("no progress for " + stallMillis / 1000 + " s", e);
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

  private static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks MD5", e);
    }
  }
}
