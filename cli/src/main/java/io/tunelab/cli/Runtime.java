package io.tunelab.cli;

/** Process-wide settings that must be in place before DJL or logging start. */
final class Runtime {
  private Runtime() {}

  static void initialise() {
    // DJL must never reach the network: libtorch comes from the jar.
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
