package io.tunelab.storage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import okhttp3.HttpUrl;

/** How a put to an S3 endpoint lets the server check that the body arrived intact. */
public enum BodyCheck {
  /**
   * {@code Content-MD5} unless the endpoint is HTTPS (TLS protects the bytes in transit) or a
   * loopback address (the bytes never leave this host's kernel), the default.
   */
  AUTO,
  /** {@code Content-MD5} on every put. */
  ALWAYS_MD5;

  /** Whether puts to this endpoint send {@code Content-MD5}. */
  boolean sendsContentMd5(String endpoint) {
    return this == ALWAYS_MD5 || !transportProtects(endpoint);
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
}
