package io.tunelab.cli.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where Temporal, the object store and the local data live; flags win over environment. */
public final class ConnectionOptions {
  @Option(
      names = "--home",
      paramLabel = "DIR",
      defaultValue = "${env:TUNELAB_HOME:-${sys:user.home}/.tunelab}",
      description = "Local data of the embedded stack (TUNELAB_HOME; default: ${DEFAULT-VALUE}).")
  public Path home;

  @Option(
      names = "--temporal-target",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:TUNELAB_TEMPORAL_TARGET:-127.0.0.1:7233}",
      description = "Temporal frontend (TUNELAB_TEMPORAL_TARGET; default: ${DEFAULT-VALUE}).")
  public String temporalTarget;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      defaultValue = "${env:TUNELAB_NAMESPACE:-default}",
      description = "Temporal namespace (TUNELAB_NAMESPACE; default: ${DEFAULT-VALUE}).")
  public String namespace;

  @Option(
      names = "--task-queue",
      paramLabel = "QUEUE",
      defaultValue = "${env:TUNELAB_TASK_QUEUE:-tunelab}",
      description = "Task queue (TUNELAB_TASK_QUEUE; default: ${DEFAULT-VALUE}).")
  public String taskQueue;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      defaultValue = "${env:TUNELAB_S3_ENDPOINT:-http://127.0.0.1:9000}",
      description = "S3 / MinIO endpoint (TUNELAB_S3_ENDPOINT; default: ${DEFAULT-VALUE}).")
  public String s3Endpoint;

  @Option(
      names = "--bucket",
      paramLabel = "NAME",
      defaultValue = "${env:TUNELAB_BUCKET:-tunelab}",
      description = "Bucket (TUNELAB_BUCKET; default: ${DEFAULT-VALUE}).")
  public String bucket;

  /**
   * Access key from the environment, or {@code null}: never a flag, so it stays out of shell
   * history.
   */
  public String envAccessKey() {
    return System.getenv("TUNELAB_S3_ACCESS_KEY");
  }

  /** Secret key from the environment, or {@code null}. */
  public String envSecretKey() {
    return System.getenv("TUNELAB_S3_SECRET_KEY");
  }
}
