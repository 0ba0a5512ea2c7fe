package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment's compose file, checked as far as it can be without Docker: it parses, has the
 * services of the real stack, and every worker is configured by tunelab's variables, pointing at
 * the stack's own Temporal and MinIO, with credentials from the .env file only.
 */
class DeployComposeTest {
  @Test
  void theStackHasTemporalWithPostgresItsUiMinioWithABucketAndWorkers() throws Exception {
    DeployCompose compose = DeployCompose.load();
    Map<String, Map<String, Object>> services = compose.services();
    for (String service :
        List.of(
            "postgresql",
            "temporal",
            "temporal-ui",
            "minio",
            "minio-bucket",
            "temporal-search-attributes")) {
      assertTrue(services.containsKey(service), service + " in " + services.keySet());
    }
    assertTrue(
        String.valueOf(services.get("temporal").get("image")).startsWith("temporalio/auto-setup:"));
    assertEquals("postgres12", DeployCompose.environment(services.get("temporal")).get("DB"));
    assertEquals(
        "postgresql", DeployCompose.environment(services.get("temporal")).get("POSTGRES_SEEDS"));
    assertEquals(
        "temporal:7233",
        DeployCompose.environment(services.get("temporal-ui")).get("TEMPORAL_ADDRESS"));
    assertTrue(String.valueOf(services.get("minio-bucket").get("command")).contains("mc mb"));
    // the search attributes the deployment registers are the ones the workflows use
    String registered = String.valueOf(services.get("temporal-search-attributes").get("command"));
    for (var key : io.tunelab.workflows.Visibility.KEYS) {
      assertTrue(registered.contains(key.getName() + ":"), key.getName());
    }
  }

  @Test
  void everyWorkerIsConfiguredByTunelabsVariables() throws Exception {
    DeployCompose compose = DeployCompose.load();
    Map<String, Map<String, Object>> workers = compose.workers();
    assertTrue(workers.containsKey("tunelab-worker"), workers.keySet().toString());
    assertTrue(workers.containsKey("tunelab-worker-gpu"), workers.keySet().toString());
    for (var worker : workers.entrySet()) {
      Map<String, String> env = DeployCompose.environment(worker.getValue());
      for (String variable : DeployCompose.TUNELAB_VARIABLES) {
        assertTrue(
            env.containsKey(variable) && env.get(variable) != null && !env.get(variable).isBlank(),
            worker.getKey() + " sets " + variable);
      }
      env.keySet().stream()
          .filter(k -> k.startsWith("TUNELAB_"))
          .forEach(
              k ->
                  assertTrue(
                      DeployCompose.TUNELAB_VARIABLES.contains(k),
                      worker.getKey() + ": unknown " + k));
      assertEquals("temporal:7233", env.get("TUNELAB_TEMPORAL_TARGET"), worker.getKey());
      assertEquals("http://minio:9000", env.get("TUNELAB_S3_ENDPOINT"), worker.getKey());
      for (String secret : List.of("TUNELAB_S3_ACCESS_KEY", "TUNELAB_S3_SECRET_KEY")) {
        assertTrue(
            env.get(secret).startsWith("${" + secret),
            worker.getKey()
                + ": "
                + secret
                + " comes from the environment / .env, never a literal");
      }
      assertEquals("true", env.get("DJL_OFFLINE"), worker.getKey() + " never downloads libtorch");
      assertTrue(String.valueOf(worker.getValue().get("depends_on")).contains("minio-bucket"));
    }
    // MinIO's root credentials are the same variables the workers use
    Map<String, String> minio = DeployCompose.environment(compose.services().get("minio"));
    assertTrue(minio.get("MINIO_ROOT_USER").startsWith("${TUNELAB_S3_ACCESS_KEY"));
    assertTrue(minio.get("MINIO_ROOT_PASSWORD").startsWith("${TUNELAB_S3_SECRET_KEY"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theGpuWorkerReservesAnNvidiaGpuAndBuildsTheCudaLibtorch() throws Exception {
    Map<String, Object> gpu = DeployCompose.load().services().get("tunelab-worker-gpu");
    Map<String, Object> deploy = (Map<String, Object>) gpu.get("deploy");
    Map<String, Object> reservations =
        (Map<String, Object>) ((Map<String, Object>) deploy.get("resources")).get("reservations");
    Map<String, Object> device = ((List<Map<String, Object>>) reservations.get("devices")).get(0);
    assertEquals("nvidia", device.get("driver"));
    assertEquals(List.of("gpu"), device.get("capabilities"));
    Map<String, Object> build = (Map<String, Object>) gpu.get("build");
    assertEquals("cu128", ((Map<String, Object>) build.get("args")).get("TORCH_FLAVOUR"));
    assertEquals(List.of("gpu"), gpu.get("profiles"));
  }

  @Test
  void everyVariableTheComposeFileRequiresIsInTheExampleEnvFile() throws Exception {
    DeployCompose compose = DeployCompose.load();
    String yaml = Files.readString(compose.file);
    String example = Files.readString(compose.file.resolveSibling("env.example"));
    Matcher required = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(yaml);
    int count = 0;
    while (required.find()) {
      count++;
      assertTrue(example.contains(required.group(1) + "="), required.group(1) + " in env.example");
    }
    assertTrue(count >= 2, "the credentials are required");
    assertTrue(Files.exists(compose.file.resolveSibling("Dockerfile")));
    assertFalse(Files.exists(compose.file.resolveSibling(".env")), "no real .env committed");
    assertTrue(Files.readString(Path.of("..", ".gitignore")).contains(".env"), ".env is ignored");
  }
}
