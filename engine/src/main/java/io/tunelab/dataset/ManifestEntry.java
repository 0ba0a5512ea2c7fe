package io.tunelab.dataset;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One ingested image in the manifest.
 *
 * @param path path relative to the source root
 * @param sha256 hex SHA-256 of the file's bytes
 * @param className class name (the JSON field is {@code class})
 * @param split {@code train}, {@code val} or {@code test}
 * @param index the image's position in its split's shard
 */
public record ManifestEntry(
    String path, String sha256, @JsonProperty("class") String className, String split, int index) {}
