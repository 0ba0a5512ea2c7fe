package io.tunelab.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds TCP ports on the loopback interface that are free at the moment of asking.
 *
 * <p>A port found this way may be taken by another process before it is used; prefer passing port
 * {@code 0} to {@link EmbeddedTemporal#start(int)} and {@link EmbeddedObjectStore#start}, which
 * lets the operating system pick a port without that race.
 */
public final class FreePorts {
  private FreePorts() {}

  /**
   * Asks the operating system for a free TCP port on 127.0.0.1.
   *
   * @return a port number that was free when this method returned
   * @throws UncheckedIOException if no port could be bound
   */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not find a free port on 127.0.0.1", e);
    }
  }

  /**
   * Checks a port number given by a person or a configuration file.
   *
   * @param port the port, where {@code 0} means "pick a free port"
   * @param what what the port is for, used in the error message
   * @return the port
   * @throws IllegalArgumentException if the port is outside 0..65535
   */
  static int check(int port, String what) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          what + " port must be between 0 and 65535 (0 picks a free port): " + port);
    }
    return port;
  }
}
