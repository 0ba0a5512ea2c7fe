package io.tunelab.dataset;

/**
 * Receives progress while images are read and decoded, for activity heartbeats and progress bars.
 * It is called on the thread that called {@link Ingestor#ingest}, never concurrently.
 */
@FunctionalInterface
public interface IngestProgress {
  /** Ignores progress. */
  IngestProgress NONE = (done, total) -> {};

  /** Reports that {@code done} of {@code total} files have been read and decoded (or rejected). */
  void update(int done, int total);
}
