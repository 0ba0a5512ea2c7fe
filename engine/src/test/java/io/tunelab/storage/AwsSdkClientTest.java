package io.tunelab.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.DatasetVersions;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.S3Credentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A current AWS SDK for Java v2, set up as a user sets it up (path-style access, its default
 * flexible checksums), against the embedded S3 endpoint: what it writes tunelab reads byte for
 * byte, and the other way round. Over plain HTTP the SDK signs the payload, so its uploads are
 * aws-chunked bodies with chunk signatures and a checksum trailer; over HTTPS SDKs send the same
 * framing unsigned, which {@link #storesTheUnsignedChunkedPayloadOfATrailingChecksumUpload} sends.
 */
@Tag("integration")
class AwsSdkClientTest {
  private static final String BUCKET = "tunelab";
  private static final int MIB = 1024 * 1024;

  @TempDir static Path home;
  static S3Credentials creds;
  static EmbeddedObjectStore s3;
  static ObjectStore store;
  static S3Client sdk;

  /** The HTTP requests the SDK sent, so that a test can show which checksum scheme it used. */
  static final List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    creds = CredentialStore.resolve(home, null, null);
    s3 = EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, BUCKET);
    store =
        new S3ObjectStore(
            new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), BUCKET));
    sdk =
        S3Client.builder()
            .endpointOverride(URI.create(s3.endpoint()))
            .region(Region.of(EmbeddedObjectStore.REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(creds.accessKey(), creds.secretKey())))
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)
            .overrideConfiguration(c -> c.addExecutionInterceptor(new Recorder()))
            .build();
  }

  @AfterAll
  static void stop() {
    if (sdk != null) {
      sdk.close();
    }
    s3.close();
  }

  @BeforeEach
  void forget() {
    sent.clear();
  }

  static final class Recorder implements ExecutionInterceptor {
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
      sent.add(context.httpRequest());
    }
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** The last request the SDK sent with this method whose path ends with the key. */
  static SdkHttpRequest sentFor(String method, String key) {
    List<SdkHttpRequest> matching =
        sent.stream()
            .filter(r -> r.method().name().equals(method) && r.encodedPath().endsWith(key))
            .toList();
    assertFalse(matching.isEmpty(), "the SDK sent no " + method + " for " + key);
    return matching.get(matching.size() - 1);
  }

  static String header(SdkHttpRequest request, String name) {
    return request.firstMatchingHeader(name).orElse(null);
  }

  /** Asserts that an upload went as a current SDK sends it: aws-chunked with a checksum trailer. */
  static void assertTrailingChecksum(SdkHttpRequest request, String algorithm) {
    String trailer = header(request, "x-amz-trailer");
    assertEquals("x-amz-checksum-" + algorithm, trailer, "the checksum rides in a trailer");
    assertTrue(
        header(request, "x-amz-content-sha256").endsWith("-PAYLOAD-TRAILER"),
        header(request, "x-amz-content-sha256"));
    assertTrue(header(request, "Content-Encoding").contains("aws-chunked"));
  }

  @Test
  void listsObjectsRecursivelyWithTheirSizesAndNoDirectories() {
    Map<String, Long> written = new TreeMap<>();
    for (String key :
        List.of(
            "runs/list-1/report.json",
            "runs/list-1/finetune/epoch-0001/metrics.json",
            "runs/list-1/finetune/epoch-0001/checkpoint.bin",
            "runs/list-1/scratch/latest.json")) {
      byte[] bytes = random(100 + key.length() * 37, key.hashCode());
      store.put(key, bytes);
      written.put(key, (long) bytes.length);
    }

    Map<String, Long> listed = new TreeMap<>();
    sdk.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("runs/list-1/").maxKeys(2))
        .contents()
        .forEach(o -> listed.put(o.key(), o.size()));
    assertEquals(written, listed, "every object, with its size, and nothing else");

    List<String> all = new ArrayList<>();
    sdk.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().forEach(o -> all.add(o.key()));
    assertTrue(all.containsAll(written.keySet()), all.toString());
    assertTrue(all.stream().noneMatch(k -> k.endsWith("/")), "no directory entries: " + all);

    // With a delimiter the folders come back as common prefixes, not as objects.
    var page = sdk.listObjectsV2(b -> b.bucket(BUCKET).prefix("runs/list-1/").delimiter("/"));
    assertEquals(
        List.of("runs/list-1/report.json"), page.contents().stream().map(S3Object::key).toList());
    assertEquals(
        List.of("runs/list-1/finetune/", "runs/list-1/scratch/"),
        page.commonPrefixes().stream().map(p -> p.prefix()).toList());
  }

  @Test
  void downloadsWhatTunelabWroteWithChecksumModeOn() {
    byte[] report = "{\"runId\":\"r\",\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8);
    byte[] checkpoint = random(3 * MIB + 17, 7);
    store.put("runs/get-1/report.json", report, "application/json");
    store.put("runs/get-1/finetune/epoch-0001/checkpoint.bin", checkpoint);

    ResponseBytes<GetObjectResponse> got =
        sdk.getObjectAsBytes(
            b -> b.bucket(BUCKET).key("runs/get-1/report.json").checksumMode(ChecksumMode.ENABLED));
    assertArrayEquals(report, got.asByteArray());
    assertEquals("application/json", got.response().contentType());
    assertEquals("ENABLED", header(sentFor("GET", "report.json"), "x-amz-checksum-mode"));

    assertArrayEquals(
        checkpoint,
        sdk.getObjectAsBytes(
                b ->
                    b.bucket(BUCKET)
                        .key("runs/get-1/finetune/epoch-0001/checkpoint.bin")
                        .checksumMode(ChecksumMode.ENABLED))
            .asByteArray());
  }

  /** The SDK's default (CRC32) and the other algorithms a user may ask for. */
  @ParameterizedTest
  @EnumSource(
      value = ChecksumAlgorithm.class,
      names = {"CRC32", "CRC32_C", "SHA256", "SHA1"})
  void putsAnObjectWithAChecksumThatTunelabReadsBack(ChecksumAlgorithm algorithm) {
    String key = "uploads/put-" + algorithm + ".bin";
    byte[] bytes = random(6 * 1024 + 3, algorithm.ordinal());
    if (algorithm == ChecksumAlgorithm.CRC32) {
      sdk.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    } else {
      sdk.putObject(
          b -> b.bucket(BUCKET).key(key).checksumAlgorithm(algorithm),
          RequestBody.fromBytes(bytes));
    }
    assertTrailingChecksum(sentFor("PUT", key), algorithm.toString().toLowerCase());

    assertArrayEquals(bytes, store.get(key), "the stored object is the payload, not its chunks");
    assertEquals(Map.of(key, (long) bytes.length), store.listSizes(key));
    assertEquals(
        null,
        sdk.headObject(b -> b.bucket(BUCKET).key(key)).contentEncoding(),
        "aws-chunked is how the body travelled, not how the object is encoded");
  }

  /**
   * Part checksums as the AWS CLI sends them (composite), and a full-object checksum with the
   * object's size on completion, as the SDKs' transfer managers send them.
   */
  @ParameterizedTest
  @EnumSource(
      value = ChecksumType.class,
      names = {"COMPOSITE", "FULL_OBJECT"})
  void uploadsInPartsWhatTunelabReadsBack(ChecksumType type) {
    String key = "uploads/multipart-" + type + ".bin";
    byte[] bytes = random(2 * 5 * MIB + 123_457, 11);
    String uploadId =
        sdk.createMultipartUpload(
                b ->
                    b.bucket(BUCKET)
                        .key(key)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32)
                        .checksumType(type))
            .uploadId();

    List<CompletedPart> parts = new ArrayList<>();
    int partSize = 5 * MIB;
    for (int number = 1, from = 0; from < bytes.length; number++, from += partSize) {
      byte[] part = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + partSize));
      int partNumber = number;
      UploadPartResponse uploaded =
          sdk.uploadPart(
              b ->
                  b.bucket(BUCKET)
                      .key(key)
                      .uploadId(uploadId)
                      .partNumber(partNumber)
                      .checksumAlgorithm(ChecksumAlgorithm.CRC32),
              RequestBody.fromBytes(part));
      parts.add(
          CompletedPart.builder()
              .partNumber(partNumber)
              .eTag(uploaded.eTag())
              .checksumCRC32(uploaded.checksumCRC32())
              .build());
    }
    assertEquals(3, parts.size());
    assertTrailingChecksum(sentFor("PUT", key), "crc32");

    sdk.completeMultipartUpload(
        b -> {
          b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts));
          if (type == ChecksumType.FULL_OBJECT) {
            b.checksumType(type).checksumCRC32(crc32(bytes)).mpuObjectSize((long) bytes.length);
          }
        });

    assertArrayEquals(bytes, store.get(key));
    assertEquals(Map.of(key, (long) bytes.length), store.listSizes(key));
    assertTrue(
        sdk.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().isEmpty(),
        "no upload is left open");
  }

  @Test
  void readsARange() {
    String key = "runs/range-1/finetune/epoch-0002/checkpoint.bin";
    byte[] bytes = random(64 * 1024, 13);
    store.put(key, bytes);

    ResponseBytes<GetObjectResponse> middle =
        sdk.getObjectAsBytes(
            b ->
                b.bucket(BUCKET)
                    .key(key)
                    .range("bytes=1000-1999")
                    .checksumMode(ChecksumMode.ENABLED));
    assertArrayEquals(Arrays.copyOfRange(bytes, 1000, 2000), middle.asByteArray());
    assertEquals("bytes 1000-1999/" + bytes.length, middle.response().contentRange());
    assertEquals(1000L, middle.response().contentLength());

    byte[] tail =
        sdk.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).range("bytes=-10")).asByteArray();
    assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length), tail);
  }

  @Test
  void uploadsADatasetVersionThatTunelabSeesComplete() {
    String version = "datasets/sdk-shapes/2026-12-06/";
    Map<String, byte[]> files = new TreeMap<>();
    for (String split : List.of("train", "val")) {
      for (String label : List.of("circle", "square")) {
        for (int i = 0; i < 3; i++) {
          String path = split + "/" + label + "/" + i + ".png";
          files.put(path, random(500 + i, path.hashCode()));
        }
      }
    }
    DatasetVersions versions = new DatasetVersions(store);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      sdk.putObject(
          b -> b.bucket(BUCKET).key(version + file.getKey()).contentType("image/png"),
          RequestBody.fromBytes(file.getValue()));
    }
    assertEquals(List.of(), versions.complete("sdk-shapes"), "not complete before _READY");

    sdk.putObject(b -> b.bucket(BUCKET).key(version + Keys.READY), RequestBody.empty());

    assertEquals(List.of("2026-12-06"), versions.complete("sdk-shapes"));
    Map<String, Long> sizes = new TreeMap<>();
    files.forEach((path, bytes) -> sizes.put(path, (long) bytes.length));
    assertEquals(sizes, versions.files("sdk-shapes", "2026-12-06"));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      assertArrayEquals(file.getValue(), store.get(version + file.getKey()), file.getKey());
    }
  }

  static String crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** A checksum computed before the upload travels as a header; a wrong one is refused. */
  @Test
  void putsWithAChecksumHeaderAndRefusesAWrongOne() {
    String key = "uploads/precomputed.bin";
    byte[] bytes = random(5000, 17);
    sdk.putObject(
        b -> b.bucket(BUCKET).key(key).checksumCRC32(crc32(bytes)), RequestBody.fromBytes(bytes));
    SdkHttpRequest put = sentFor("PUT", key);
    assertEquals(crc32(bytes), header(put, "x-amz-checksum-crc32"));
    assertEquals(null, header(put, "x-amz-trailer"));
    assertArrayEquals(bytes, store.get(key));

    String wrongKey = "uploads/precomputed-wrong.bin";
    S3Exception refused =
        assertThrows(
            S3Exception.class,
            () ->
                sdk.putObject(
                    b -> b.bucket(BUCKET).key(wrongKey).checksumCRC32(crc32(new byte[] {1})),
                    RequestBody.fromBytes(bytes)));
    assertEquals(400, refused.statusCode(), refused.getMessage());
    assertFalse(store.exists(wrongKey), "a body that fails its checksum is not stored");
  }

  /**
   * Over HTTPS the AWS CLI and the SDKs send an unsigned aws-chunked body with a checksum trailer
   * ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}); the SDK signs such a request here as for HTTPS
   * and it goes over HTTP, as a TLS-terminating proxy in front of the store would pass it on.
   * (S3Proxy 3.3 stops reading at the decoded length, so it does not check the trailer's value.)
   */
  @Test
  void storesTheUnsignedChunkedPayloadOfATrailingChecksumUpload() throws Exception {
    byte[] bytes = random(200_000, 19);
    String key = "uploads/unsigned-trailer.bin";
    HttpResponse<String> stored = sendUnsignedTrailer(key, bytes);
    assertEquals(200, stored.statusCode(), stored.body());
    assertArrayEquals(bytes, store.get(key), "the stored object is the payload, not its chunks");
  }

  private static HttpResponse<String> sendUnsignedTrailer(String key, byte[] bytes)
      throws Exception {
    URI endpoint = URI.create(s3.endpoint());
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(creds.accessKey(), creds.secretKey()))
                        .request(
                            SdkHttpRequest.builder()
                                .protocol("https")
                                .host(endpoint.getHost())
                                .port(endpoint.getPort())
                                .method(SdkHttpMethod.PUT)
                                .encodedPath("/" + BUCKET + "/" + key)
                                .putHeader("Content-Length", Integer.toString(bytes.length))
                                .build())
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, EmbeddedObjectStore.REGION)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                        .putProperty(
                            AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32));
    assertEquals(
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        signed.request().firstMatchingHeader("x-amz-content-sha256").orElse(null));
    byte[] body = signed.payload().orElseThrow().newStream().readAllBytes();
    assertTrue(
        new String(body, StandardCharsets.ISO_8859_1)
            .endsWith("0\r\nx-amz-checksum-crc32:" + crc32(bytes) + "\r\n\r\n"),
        "the body is framed in chunks and ends with the checksum trailer");

    Set<String> setByTheClient = Set.of("host", "content-length", "connection", "expect");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(s3.endpoint() + signed.request().encodedPath()))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    signed
        .request()
        .forEachHeader(
            (name, values) -> {
              if (!setByTheClient.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
              }
            });
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
