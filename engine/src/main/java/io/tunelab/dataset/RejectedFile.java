package io.tunelab.dataset;

/**
 * A source file that was not ingested, and why.
 *
 * @param path the file's path relative to the source root
 * @param reason a sentence fragment saying what is wrong with it
 */
public record RejectedFile(String path, String reason) {}
