package io.tunelab.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 in front of an endpoint that, on every connection, either cuts the
 * connection or flips one byte once the client has sent more than {@code at} bytes on it. Small
 * requests (the MinIO client's bucket-location lookup) pass untouched.
 */
final class FaultyProxy implements AutoCloseable {
  enum Fault {
    CUT,
    FLIP
  }

  private final ServerSocket server;
  private final int targetPort;
  private final Fault fault;
  private final long at;
  final AtomicInteger faults = new AtomicInteger();

  FaultyProxy(int targetPort, Fault fault, long at) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    this.fault = fault;
    this.at = at;
    Thread acceptor = new Thread(this::accept, "faulty-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        pump(target.getInputStream(), client.getOutputStream(), client, target, false);
        pump(client.getInputStream(), target.getOutputStream(), client, target, true);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(InputStream in, OutputStream out, Socket a, Socket b, boolean upstream) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              long sent = 0;
              boolean done = false;
              try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  if (upstream && !done && sent + n > at) {
                    int i = (int) (at - sent);
                    faults.incrementAndGet();
                    done = true;
                    if (fault == Fault.CUT) {
                      out.write(buffer, 0, i);
                      out.flush();
                      a.close();
                      b.close();
                      return;
                    }
                    buffer[i] ^= 0x01;
                  }
                  out.write(buffer, 0, n);
                  sent += n;
                }
              } catch (IOException e) {
                // the other side closed
              } finally {
                try {
                  a.close();
                  b.close();
                } catch (IOException e) {
                  // closed already
                }
              }
            },
            "faulty-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
