package io.tunelab.cli;

/** The contract's exit codes. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** The run failed, or an internal error. */
  public static final int FAILED = 1;

  /** Bad usage or bad input. */
  public static final int USAGE = 2;

  /** Temporal or the object store cannot be reached. */
  public static final int UNREACHABLE = 3;

  private ExitCodes() {}
}
