package io.tunelab.progress;

/**
 * Where long engine work reports how far it got and learns that it must stop. The Temporal adapters
 * send the details as activity heartbeats and stop the work when the activity was canceled or timed
 * out; a plain caller ignores both ({@link #NONE}).
 */
@FunctionalInterface
public interface Progress {
  /** Reports nothing and never stops the work. */
  Progress NONE = details -> {};

  /** Records the latest progress; {@code details} are shown as they are (e.g. as JSON). */
  void report(Object details);

  /**
   * Throws when whoever waits for the work no longer does, so the work stops at this point instead
   * of finishing; by default it never stops the work.
   */
  default void checkStopped() {}
}
