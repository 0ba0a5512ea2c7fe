package io.tunelab.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** {@code infra/deploy/docker-compose.yml}, parsed: its services and the workers' environment. */
final class DeployCompose {
  /** The variables a tunelab process reads (the contract's configuration table). */
  static final List<String> TUNELAB_VARIABLES =
      List.of(
          "TUNELAB_HOME",
          "TUNELAB_TEMPORAL_TARGET",
          "TUNELAB_NAMESPACE",
          "TUNELAB_TASK_QUEUE",
          "TUNELAB_S3_ENDPOINT",
          "TUNELAB_S3_ACCESS_KEY",
          "TUNELAB_S3_SECRET_KEY",
          "TUNELAB_BUCKET");

  final Path file;
  final Map<String, Object> root;

  private DeployCompose(Path file, Map<String, Object> root) {
    this.file = file;
    this.root = root;
  }

  /** The compose file of the repository the tests run in (cli/ is the working directory). */
  static DeployCompose load() throws IOException {
    Path file = Path.of("..", "infra", "deploy", "docker-compose.yml").toAbsolutePath().normalize();
    try (Reader in = Files.newBufferedReader(file)) {
      return new DeployCompose(file, new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
    }
  }

  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> services() {
    return (Map<String, Map<String, Object>>) root.get("services");
  }

  /** The tunelab worker services: those whose command starts with {@code worker}. */
  Map<String, Map<String, Object>> workers() {
    Map<String, Map<String, Object>> workers = new LinkedHashMap<>();
    services()
        .forEach(
            (name, service) -> {
              if (service.get("command") instanceof List<?> command
                  && !command.isEmpty()
                  && "worker".equals(command.get(0))) {
                workers.put(name, service);
              }
            });
    return workers;
  }

  /** A service's environment as a map (compose also allows a list of NAME=value). */
  @SuppressWarnings("unchecked")
  static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object e = service.get("environment");
    if (e instanceof Map<?, ?> map) {
      map.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else if (e instanceof List<?> list) {
      for (Object item : list) {
        String[] kv = String.valueOf(item).split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : null);
      }
    }
    return env;
  }
}
