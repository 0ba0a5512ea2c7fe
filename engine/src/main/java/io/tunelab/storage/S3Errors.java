package io.tunelab.storage;

import io.minio.Xml;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.ErrorResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/**
 * Turns the failures of calls to one S3 bucket into tunelab's: a missing key into {@link
 * ObjectNotFoundException}, a dead endpoint into a {@link StoreException} that says it is {@link
 * StoreException#unreachable() unreachable}, anything else into a {@link StoreException} naming the
 * operation, the endpoint and the S3 error.
 */
final class S3Errors {
  private final String bucket;
  private final String endpoint;

  S3Errors(String bucket, String endpoint) {
    this.bucket = bucket;
    this.endpoint = endpoint;
  }

  /** One call to the endpoint. */
  @FunctionalInterface
  interface S3Call<T> {
    T run() throws Exception;
  }

  /**
   * Runs a call, mapping its failures.
   *
   * @param what the operation and its key or prefix, such as {@code "get runs/x/run.json"}
   */
  <T> T call(String what, S3Call<T> op) {
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

  /**
   * A request answered with an HTTP error as a {@link StoreException}: the S3 error code and
   * message when the body holds one, else the status and an excerpt of the body.
   */
  StoreException httpFailure(String what, int status, String body) {
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
