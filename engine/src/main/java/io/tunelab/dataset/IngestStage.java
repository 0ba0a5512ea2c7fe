package io.tunelab.dataset;

/**
 * How far an ingest got, as progress details (activity heartbeats): how many of the source's
 * candidate images have been hashed or read and decoded. Only a hint for progress bars; an
 * interrupted ingest starts over.
 *
 * @param stage {@code hashing} (the source's fingerprint) or {@code ingest}
 * @param done images hashed, or read and decoded (or rejected), so far
 * @param total images to read
 */
public record IngestStage(String stage, int done, int total) {}
