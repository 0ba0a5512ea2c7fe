package io.tunelab.storage;

import java.util.Objects;

/**
 * Where the object store is and how to log in. {@link #toString()} never shows the secret.
 *
 * @param endpoint S3 endpoint URL
 * @param accessKey access key
 * @param secretKey secret key
 * @param bucket bucket holding everything tunelab writes
 */
public record StoreConfig(String endpoint, String accessKey, String secretKey, String bucket) {
  public StoreConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(accessKey, "access key");
    Objects.requireNonNull(secretKey, "secret key");
    Objects.requireNonNull(bucket, "bucket");
  }

  @Override
  public String toString() {
    return "StoreConfig[endpoint="
        + endpoint
        + ", bucket="
        + bucket
        + ", accessKey="
        + accessKey
        + ", secretKey=****]";
  }
}
