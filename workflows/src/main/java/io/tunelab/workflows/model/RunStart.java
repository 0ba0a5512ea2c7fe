package io.tunelab.workflows.model;

/**
 * What became of a version the watcher found.
 *
 * @param version the version's name
 * @param runId the run that handles its content
 * @param started whether this call started the run (false: a run of the same content existed)
 * @param note what happened, in words
 */
public record RunStart(String version, String runId, boolean started, String note) {}
