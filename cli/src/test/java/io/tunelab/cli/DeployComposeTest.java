package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.cli.commands.WorkerCommand;
import io.tunelab.workflows.TaskQueues;
import io.tunelab.workflows.Visibility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deployment's compose file, checked as far as it can be without Docker: it parses, has the
 * services of the real stack, and every worker is configured by tunelab's variables, pointing at
 * the stack's own Temporal and MinIO, with credentials from the .env file only; every image is
 * pinned; the search-attribute job is a command the pinned Temporal CLI accepts; the build context
 * leaves build outputs and secrets out; GPU runs train only on the GPU workers.
 */
class DeployComposeTest {
  /** The Temporal CLI in the pinned admin-tools image, by its tag's {@code cli-} part. */
  static final String PINNED_CLI = "1.4.1";

  /**
   * Every flag of {@code temporal operator search-attribute create} in CLI 1.4.1 (temporalio/cli
   * v1.4.1, temporalcli/commandsgen/commands.yml and commands.gen.go): its own {@code --name} and
   * {@code --type} (both repeatable) and the client options. There is no {@code --yes}: only {@code
   * remove} asks for confirmation.
   */
  static final Set<String> CREATE_FLAGS =
      Set.of(
          "name",
          "type",
          "address",
          "namespace",
          "api-key",
          "grpc-meta",
          "tls",
          "tls-cert-path",
          "tls-cert-data",
          "tls-key-path",
          "tls-key-data",
          "tls-ca-path",
          "tls-ca-data",
          "tls-disable-host-verification",
          "tls-server-name",
          "codec-endpoint",
          "codec-auth",
          "codec-header");

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
  }

  @Test
  @SuppressWarnings("unchecked")
  void theSearchAttributeJobIsOneCommandOfThePinnedCliWithItsOwnFlags() throws Exception {
    Map<String, Object> job = DeployCompose.load().services().get("temporal-search-attributes");
    assertTrue(
        String.valueOf(job.get("image")).endsWith("-cli-" + PINNED_CLI),
        "the flags below are CLI " + PINNED_CLI + "'s: " + job.get("image"));
    // no shell: the CLI's exit status is the job's, nothing can swallow a failure
    assertEquals(List.of("temporal"), job.get("entrypoint"));
    List<String> args = (List<String>) job.get("command");
    assertEquals(List.of("operator", "search-attribute", "create"), args.subList(0, 3));
    assertFalse(String.valueOf(job).contains("||"), "no || true");
    Map<String, String> registered = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (int i = 3; i < args.size(); i += 2) {
      String flag = args.get(i);
      assertTrue(flag.startsWith("--"), "flag, then value: " + flag);
      assertTrue(
          CREATE_FLAGS.contains(flag.substring(2)), flag + " is not a flag of CLI " + PINNED_CLI);
      assertTrue(i + 1 < args.size(), flag + " has a value");
      String value = args.get(i + 1);
      if (flag.equals("--name")) {
        names.add(value);
      } else if (flag.equals("--type")) {
        registered.put(names.get(names.size() - 1), value);
      }
    }
    assertEquals("temporal:7233", args.get(args.indexOf("--address") + 1));
    assertEquals(names.size(), registered.size(), "one --type after each --name");
    // exactly the attributes the workflows use, with their types
    Map<String, String> used = new LinkedHashMap<>();
    for (var key : Visibility.KEYS) {
      String type = key.getValueType().name().replace("INDEXED_VALUE_TYPE_", "");
      used.put(key.getName(), type.charAt(0) + type.substring(1).toLowerCase());
    }
    assertEquals(used, registered);
    assertTrue(
        String.valueOf(compose().workers().get("tunelab-worker").get("depends_on"))
            .contains("temporal-search-attributes"),
        "workers start once the attributes are registered");
  }

  @Test
  void everyImageIsPinnedToAnExplicitTag() throws Exception {
    DeployCompose compose = compose();
    List<String> images = new ArrayList<>();
    compose.services().forEach((name, service) -> images.add(String.valueOf(service.get("image"))));
    // the Dockerfile's bases: every FROM that is not one of its own stages
    List<String> lines = Files.readAllLines(compose.file.resolveSibling("Dockerfile"));
    List<String> stages = new ArrayList<>();
    for (String line : lines) {
      String[] words = line.strip().split("\\s+");
      if (words[0].equalsIgnoreCase("FROM")) {
        if (words.length == 4 && words[2].equalsIgnoreCase("AS")) {
          stages.add(words[3]);
        }
        String stagePattern = words[1].replaceAll("\\$\\{[^}]+}", ".+");
        if (stages.stream().noneMatch(st -> st.matches(stagePattern))) {
          images.add(words[1]);
        }
      }
    }
    assertTrue(images.size() >= 9, images.toString());
    for (String image : images) {
      int slash = image.lastIndexOf('/');
      int colon = image.lastIndexOf(':');
      assertTrue(colon > slash, image + " names a tag");
      String tag = image.substring(colon + 1);
      assertFalse(tag.equals("latest") || tag.isBlank(), image + ": an explicit version");
      assertFalse(image.contains("${"), image + ": no variable that could leave it unpinned");
    }
  }

  @Test
  void theBuildContextLeavesOutBuildOutputsAndSecretsButKeepsWhatTheBuildNeeds() throws Exception {
    Path root = compose().file.getParent().getParent().getParent();
    Path file = root.resolve(".dockerignore");
    assertTrue(Files.exists(file), file + " exists");
    DockerIgnore ignore = DockerIgnore.load(file);
    for (String out :
        List.of(
            "target",
            "cli/target/tunelab.jar",
            "engine/target/classes/x.class",
            ".git/HEAD",
            "infra/deploy/.env")) {
      assertTrue(ignore.excludes(out), out + " is left out");
    }
    // what `mvn -pl cli -am package` and the Dockerfile's COPY read
    List<String> kept =
        new ArrayList<>(
            List.of(
                "pom.xml",
                "infra/jvm.options",
                "engine/src/main/java/io/tunelab/runs/RunRecords.java",
                "cli/src/main/resources/logback.xml"));
    for (String module : List.of("workflows", "engine", "activities", "infra", "cli", "bench")) {
      kept.add(module + "/pom.xml");
      kept.add(module + "/src/main/java/io/tunelab/X.java");
    }
    for (String line : Files.readAllLines(compose().file.resolveSibling("Dockerfile"))) {
      String[] words = line.strip().split("\\s+");
      if (words[0].equals("COPY") && !words[1].startsWith("--from") && !words[1].equals(".")) {
        kept.add(words[1]);
      }
    }
    for (String path : kept) {
      assertFalse(ignore.excludes(path), path + " stays in the build context");
    }
  }

  @Test
  void gpuWorkersTrainFromTheGpuQueueAndCpuWorkersNeverDo() throws Exception {
    Map<String, Map<String, Object>> workers = compose().workers();
    String queue = "tunelab";
    assertEquals(
        List.of(TaskQueues.gpuTraining(queue)),
        trainingQueues(workers.get("tunelab-worker-gpu"), queue),
        "the GPU worker polls the queue --device gpu runs train on");
    for (var worker : workers.entrySet()) {
      if (!worker.getKey().equals("tunelab-worker-gpu")) {
        assertEquals(
            List.of(TaskQueues.training(queue)),
            trainingQueues(worker.getValue(), queue),
            worker.getKey() + " polls the shared training queue only");
      }
    }
    assertFalse(TaskQueues.training(queue).equals(TaskQueues.gpuTraining(queue)));
  }

  /** The training queues a compose worker polls: its command parsed as `tunelab worker` does. */
  @SuppressWarnings("unchecked")
  private static List<String> trainingQueues(Map<String, Object> service, String taskQueue) {
    List<String> command = (List<String>) service.get("command");
    WorkerCommand worker = new WorkerCommand();
    new CommandLine(worker).parseArgs(command.subList(1, command.size()).toArray(String[]::new));
    return worker.settings().trainingQueues(taskQueue);
  }

  private static DeployCompose compose() throws Exception {
    return DeployCompose.load();
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
