package io.tunelab.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a foreground command alive until SIGINT or SIGTERM, then closes its resources in reverse
 * order of opening.
 */
public final class Foreground {
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  /** Registers a resource to close on shutdown. */
  public synchronized <T extends AutoCloseable> T add(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Closes every resource now, newest first. */
  public synchronized void closeAll() {
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    resources.clear();
    for (AutoCloseable r : reversed) {
      try {
        r.close();
      } catch (Exception e) {
        System.err.println("tunelab: error while stopping: " + e.getMessage());
      }
    }
    closed.countDown();
  }

  /** Blocks until the process is asked to stop. */
  public void awaitSignal() throws InterruptedException {
    Thread hook = new Thread(this::closeAll, "tunelab-shutdown");
    java.lang.Runtime.getRuntime().addShutdownHook(hook);
    closed.await();
  }
}
