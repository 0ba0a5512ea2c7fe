package io.tunelab.infra;

/** Turns exception chains into one-line messages for people. */
final class Errors {
  private Errors() {}

  /**
   * Joins the messages of an exception and its causes, skipping repeats, e.g. {@code "Failed to
   * bind to address /127.0.0.1:7233: Address already in use"}.
   */
  static String describe(Throwable e) {
    StringBuilder message = new StringBuilder();
    Throwable t = e;
    int depth = 0;
    while (t != null && depth++ < 10) {
      String m = t.getMessage();
      if (m == null || m.isBlank()) {
        m = t.getClass().getSimpleName();
      }
      if (message.indexOf(m) < 0) {
        if (message.length() > 0) {
          message.append(": ");
        }
        message.append(m);
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return message.toString();
  }
}
