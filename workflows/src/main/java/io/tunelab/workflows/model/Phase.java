package io.tunelab.workflows.model;

/**
 * What a run is doing, as its state query shows it ({@link RunState#phase()} is these words, with
 * the subject of the step where it has one: {@code ingesting /data/shoes}). A run that ended shows
 * its status in lower case instead.
 */
public enum Phase {
  STARTING("starting"),
  LOOKING_UP_MODEL("looking up pretrained model"),
  INGESTING("ingesting"),
  TRAINING("training"),
  PROBING("probing for label noise, domain shift and forgetting"),
  COMPARING("comparing arms"),
  DIAGNOSING("diagnosing"),
  REGISTERING("registering"),
  CHALLENGING("challenging the champion of"),
  WRITING_REPORT("writing report"),
  DONE("done");

  private final String words;

  Phase(String words) {
    this.words = words;
  }

  /** The phase in words, as the state query shows it. */
  public String words() {
    return words;
  }

  /** The phase in words followed by what it works on: {@code ingesting /data/shoes}. */
  public String of(String subject) {
    return words + " " + subject;
  }

  /** The phase of a run that ended with {@code status}: the status in lower case. */
  public static String ended(RunStatus status) {
    return status.wire().toLowerCase();
  }

  @Override
  public String toString() {
    return words;
  }
}
