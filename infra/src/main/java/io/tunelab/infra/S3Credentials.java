package io.tunelab.infra;

/**
 * The access key and secret key that clients present to the embedded S3 endpoint.
 *
 * <p>The record's {@link #toString()} never contains the secret key, so an instance can be logged
 * or shown in an error message without leaking it.
 *
 * @param accessKey the access key (the public half), never blank
 * @param secretKey the secret key, never blank
 */
public record S3Credentials(String accessKey, String secretKey) {

  /**
   * Checks that both keys are present and free of surrounding whitespace.
   *
   * @param accessKey the access key
   * @param secretKey the secret key
   * @throws IllegalArgumentException if a key is null, blank, or starts or ends with whitespace
   */
  public S3Credentials {
    accessKey = requireKey("access key", accessKey);
    secretKey = requireKey("secret key", secretKey);
  }

  private static String requireKey(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the S3 " + what + " must not be blank");
    }
    String trimmed = value.strip();
    if (!trimmed.equals(value)) {
      throw new IllegalArgumentException(
          "the S3 " + what + " must not start or end with whitespace");
    }
    return value;
  }

  /**
   * Returns a description that names the access key and masks the secret key.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    return "S3Credentials[accessKey=" + accessKey + ", secretKey=****]";
  }
}
