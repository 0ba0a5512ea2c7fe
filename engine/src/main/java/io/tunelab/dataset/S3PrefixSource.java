package io.tunelab.dataset;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Images under an {@code s3://bucket/prefix}, laid out like a local source folder. Objects are read
 * one at a time when the ingestor opens them.
 */
public final class S3PrefixSource implements ImageSource {
  private final MinioClient client;
  private final String bucket;
  private final String prefix;

  /** A source over the objects under {@code prefix} (a '/' is added when missing) in a bucket. */
  public S3PrefixSource(MinioClient client, String bucket, String prefix) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
  }

  /**
   * Parses {@code s3://bucket/prefix}.
   *
   * @throws BadInputException when the URI has no bucket
   */
  public static S3PrefixSource parse(MinioClient client, String uri) {
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new BadInputException("--data " + uri + ": no bucket in the s3:// URI");
    }
    return new S3PrefixSource(client, bucket, prefix);
  }

  @Override
  public List<SourceFile> files() throws IOException {
    List<SourceFile> files = new ArrayList<>();
    try {
      for (Result<Item> r :
          client.listObjects(
              ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
        Item item = r.get();
        if (item.isDir()) {
          continue;
        }
        String key = item.objectName();
        String relative = key.substring(prefix.length());
        if (relative.isEmpty()) {
          continue;
        }
        if (relative.endsWith("/")) {
          files.add(SourceFile.folder(relative));
          continue;
        }
        // The ETag changes whenever the object's bytes do (an MD5, or a hash of the parts).
        String etag = item.etag();
        files.add(
            new SourceFile(
                relative,
                item.size(),
                () -> {
                  try {
                    return client.getObject(
                        GetObjectArgs.builder().bucket(bucket).object(key).build());
                  } catch (IOException e) {
                    throw e;
                  } catch (Exception e) {
                    throw new IOException("s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
                  }
                },
                etag == null || etag.isBlank() ? null : "etag:" + etag.replace("\"", "")));
      }
    } catch (IOException e) {
      throw e;
    } catch (ErrorResponseException e) {
      if ("NoSuchBucket".equals(e.errorResponse().code())) {
        throw new BadInputException(
            "--data s3://" + bucket + "/" + prefix + ": there is no bucket '" + bucket + "'");
      }
      throw new IOException(
          "listing s3://" + bucket + "/" + prefix + " failed: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IOException(
          "listing s3://" + bucket + "/" + prefix + " failed: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new BadInputException(
          "--data s3://" + bucket + "/" + prefix + ": no objects under that prefix");
    }
    files.sort(Comparator.comparing(SourceFile::path));
    return files;
  }
}
