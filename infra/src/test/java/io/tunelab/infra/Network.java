package io.tunelab.infra;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

/** Network helpers for the tests. */
final class Network {
  /** 127.0.0.1, whatever {@code java.net.preferIPv6Addresses} says. */
  static final InetAddress LOOPBACK = loopback();

  private Network() {}

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A routable address of this machine on which a listener bound to the wildcard address can be
   * reached, so that a refused connection there shows a loopback-only binding; empty if none.
   */
  static Optional<InetAddress> reachableNonLoopbackAddress() throws IOException {
    Optional<InetAddress> address = nonLoopbackAddress();
    if (address.isEmpty()) {
      return address;
    }
    try (ServerSocket wildcard = new ServerSocket(0)) {
      return accepts(address.get(), wildcard.getLocalPort()) ? address : Optional.empty();
    }
  }

  /** A routable address of this machine that is not loopback or link-local, if it has one. */
  static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    Optional<InetAddress> v6 = Optional.empty();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address.isLoopbackAddress()
            || address.isLinkLocalAddress()
            || address.isAnyLocalAddress()) {
          continue;
        }
        if (address instanceof Inet4Address) {
          return Optional.of(address);
        }
        if (address instanceof Inet6Address && v6.isEmpty()) {
          v6 = Optional.of(address);
        }
      }
    }
    return v6;
  }

  /** Whether a TCP connection to the address and port succeeds within a second. */
  static boolean accepts(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
