package io.tunelab.infra;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Keeps S3Proxy, jclouds and Jetty, which log every request at DEBUG, at WARN unless the logging
 * configuration says otherwise.
 */
final class ThirdPartyLogging {
  /** Logger names set to WARN; Jetty is shaded into S3Proxy's jar under {@code org.gaul}. */
  static final List<String> NOISY = List.of("org.gaul", "org.jclouds", "org.eclipse.jetty");

  private ThirdPartyLogging() {}

  /**
   * Sets the noisy loggers to WARN if logback is the SLF4J backend and the configuration gives them
   * no level of their own; does nothing with any other backend.
   */
  static void quiet() {
    try {
      Logback.quiet();
    } catch (LinkageError absent) {
      // logback is not on the class path: another backend decides.
    }
  }

  private static final class Logback {
    static void quiet() {
      ILoggerFactory factory = LoggerFactory.getILoggerFactory();
      if (factory instanceof LoggerContext context) {
        for (String name : NOISY) {
          ch.qos.logback.classic.Logger logger = context.getLogger(name);
          if (logger.getLevel() == null) {
            logger.setLevel(Level.WARN);
          }
        }
      }
    }
  }
}
