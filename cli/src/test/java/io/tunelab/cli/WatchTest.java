package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.storage.Json;
import io.tunelab.workflows.model.WatchState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Retrain on arrival, through the CLI against a live stack with real Fashion-MNIST images: a
 * watcher on dataset {@code shoes} runs one experiment per new complete version, pushed with {@code
 * data push} or written by a plain S3 client, never twice for the same content, and promotes a
 * fine-tuned model to champion only when it beats the champion on the new version's test images.
 *
 * <p>Three versions of Trouser / Sneaker / Bag, 60 images a class, disjoint images:
 *
 * <ul>
 *   <li>A: clean class folders. The first challenger: promoted (no champion yet).
 *   <li>B: train/ and val/ with the labels rotated (Trouser images in Sneaker/, ...), test/ clean:
 *       a planted worse challenger (it learns the wrong names), rejected.
 *   <li>D, written by a plain object-store client: the labels rotated everywhere (the data changed
 *       meaning), so the champion fails on its test images and the challenger trained on it wins:
 *       promoted.
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class WatchTest extends LiveStack {
  static final int[] LABELS = {1, 7, 8}; // Trouser, Sneaker, Bag
  static final String DATASET = "shoes";
  static final String[] RUN_FLAGS = {
    "--epochs",
    "2",
    "--batch-size",
    "16",
    "--lr",
    "0.003",
    "--no-scratch",
    "--no-probes",
    "--poll-interval",
    "500ms",
    "--continue-as-new-every",
    "4"
  };
  static Path folderA;
  static Path folderB;
  static Path folderD;
  static String versionA;
  static String runA;

  @BeforeAll
  static void makeData() throws Exception {
    LabeledImages train = fashionTrain();
    Path source = home.resolve("base");
    FashionMnistFolders.export(train, new int[] {0, 2, 3, 4}, 60, 3, source);
    List<List<Integer>> byClass = new ArrayList<>();
    Random random = new Random(7);
    for (int label : LABELS) {
      List<Integer> indices = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        if (train.label(i) == label) {
          indices.add(i);
        }
      }
      Collections.shuffle(indices, random);
      byClass.add(indices);
    }
    folderA = home.resolve("shoes-a");
    folderB = home.resolve("shoes-b");
    folderD = home.resolve("shoes-d");
    for (int c = 0; c < LABELS.length; c++) {
      String name = FashionMnistFolders.CLASS_NAMES.get(LABELS[c]);
      String rotated = FashionMnistFolders.CLASS_NAMES.get(LABELS[(c + 1) % LABELS.length]);
      List<Integer> images = byClass.get(c);
      write(train, images.subList(0, 60), folderA.resolve(name));
      write(train, images.subList(60, 100), folderB.resolve("train").resolve(rotated));
      write(train, images.subList(100, 110), folderB.resolve("val").resolve(rotated));
      write(train, images.subList(110, 120), folderB.resolve("test").resolve(name));
      write(train, images.subList(120, 180), folderD.resolve(rotated));
    }
    Files.writeString(folderA.resolve("Bag").resolve("broken.png"), "not a png");

    CliHarness.Result base =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "wbase",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--wait");
    assertEquals(0, base.code(), base.err());
  }

  private static void write(LabeledImages images, List<Integer> indices, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    for (int i : indices) {
      FashionMnistFolders.writePng(
          images.image(i), images.shape(), dir.resolve(String.format("%05d.png", i)));
    }
  }

  @Test
  @Order(1)
  void watchStartsOnceAndASecondCallUpdatesIt() {
    CliHarness.Result first = watch();
    assertEquals(0, first.code(), first.err());
    assertEquals("watch-shoes", first.lastLine());
    assertTrue(first.err().contains("started watcher watch-shoes"), first.err());

    CliHarness.Result again = watch("--seed", "43");
    assertEquals(0, again.code(), again.err());
    assertEquals("watch-shoes", again.lastLine());
    assertTrue(again.err().contains("updated the running watcher"), again.err());
  }

  @Test
  @Order(2)
  void aPushedVersionRunsOnceAndTheFirstChallengerBecomesChampion() throws Exception {
    CliHarness.Result push = cli.run("data", "push", folderA.toString(), "--dataset", DATASET);
    assertEquals(0, push.code(), push.err());
    versionA = push.lastLine();
    assertTrue(versionA.matches("v1-[0-9a-f]{8}"), versionA);
    assertTrue(push.err().contains("rejected Bag/broken.png"), push.err());
    String prefix = "datasets/shoes/" + versionA + "/";
    assertFalse(store.exists(prefix + "Bag/broken.png"), "rejected files are not uploaded");
    assertEquals(180 + 1, store.list(prefix).size(), "180 images and _READY");
    JsonNode ready = Json.tree(store.get(prefix + "_READY"));
    String hash = ready.path("contentHash").asText();
    assertTrue(versionA.endsWith(hash.substring(0, 8)), versionA + " " + hash);

    JsonNode run = awaitRun(versionA);
    runA = run.path("runId").asText();
    assertEquals("watch-shoes-" + hash.substring(0, 12), runA);
    assertEquals("watch", run.path("trigger").asText());
    assertEquals(DATASET, run.path("dataset").asText());
    assertEquals("COMPLETED", run.path("status").asText());

    JsonNode decision = decision(runA);
    assertTrue(decision.path("promoted").asBoolean(), decision.toString());
    assertTrue(decision.path("reason").asText().contains("no champion yet"), decision.toString());
    JsonNode champion = champion();
    assertEquals(runA, champion.path("runId").asText());
    assertEquals(versionA, champion.path("datasetVersion").asText());
    int version = champion.path("version").asInt();
    assertTrue(version >= 2, "registered after the pretrained version: " + champion);
    assertEquals(
        runA,
        Json.tree(store.get("models/wbase/v" + version + "/meta.json"))
            .path("sourceRunId")
            .asText());
    assertEquals(1, watchRuns().size());
    assertTrue(store.exists("runs/" + runA + "/report.json"), runA);
    assertEquals(List.of(), store.list("runs/" + runA + "/probes/"), "--no-probes: no probe ran");
  }

  @Test
  @Order(3)
  void pushingTheSameContentAgainStartsNothing() throws Exception {
    CliHarness.Result again = cli.run("data", "push", folderA.toString(), "--dataset", DATASET);
    assertEquals(0, again.code(), again.err());
    assertEquals(versionA, again.lastLine());
    assertTrue(again.err().contains("nothing uploaded"), again.err());
    Thread.sleep(2_500); // five looks
    assertEquals(1, watchRuns().size(), "still one run");
    assertEquals(
        List.of("datasets/shoes/" + versionA + "/"),
        store.list("datasets/shoes/").stream()
            .map(k -> k.substring(0, k.indexOf('/', "datasets/shoes/".length()) + 1))
            .distinct()
            .toList());
  }

  @Test
  @Order(4)
  void aWorseChallengerIsRejectedAndTheDecisionRecorded() throws Exception {
    CliHarness.Result push = cli.run("data", "push", folderB.toString(), "--dataset", DATASET);
    assertEquals(0, push.code(), push.err());
    String versionB = push.lastLine();
    assertTrue(versionB.startsWith("v2-"), versionB);
    JsonNode run = awaitRun(versionB);
    String runB = run.path("runId").asText();
    assertEquals("COMPLETED", run.path("status").asText());
    assertNotEquals(runA, runB);

    JsonNode decision = decision(runB);
    assertFalse(decision.path("promoted").asBoolean(), decision.toString());
    assertTrue(
        decision.path("challengerAcc").asDouble() < decision.path("championAcc").asDouble(),
        decision.toString());
    assertTrue(decision.path("pValue").isNumber(), decision.toString());
    assertEquals(30, decision.path("testImages").asInt(), "B's own test/ split");
    assertEquals(runA, champion().path("runId").asText(), "the champion stays");
    assertEquals(2, watchRuns().size());
  }

  @Test
  @Order(5)
  void aVersionWrittenByAnyS3ClientRunsAndABetterChallengerIsPromoted() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folderD)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      store.put(
          "datasets/shoes/manual-d/" + folderD.relativize(file).toString().replace('\\', '/'),
          Files.readAllBytes(file));
    }
    store.put("datasets/shoes/manual-d/_READY", new byte[0]);

    JsonNode run = awaitRun("manual-d");
    String runD = run.path("runId").asText();
    assertTrue(runD.matches("watch-shoes-[0-9a-f]{12}"), runD);
    assertEquals("COMPLETED", run.path("status").asText());
    JsonNode decision = decision(runD);
    double challenger = decision.path("challengerAcc").asDouble();
    double champion = decision.path("championAcc").asDouble();
    assertTrue(challenger > champion, decision.toString());
    assertTrue(decision.path("promoted").asBoolean(), decision.toString());
    assertEquals(runD, champion().path("runId").asText());
    assertEquals("manual-d", champion().path("datasetVersion").asText());
    assertEquals(3, watchRuns().size());
  }

  @Test
  @Order(6)
  void listShowsWatchRunsAndStopEndsTheWatcher() throws Exception {
    CliHarness.Result list = cli.run("list");
    assertEquals(0, list.code(), list.err());
    assertTrue(
        list.out().contains("watch") && list.out().contains("shoes " + versionA), list.out());
    for (JsonNode run : watchRuns()) {
      assertEquals(DATASET, run.path("dataset").asText());
      assertFalse(run.path("datasetVersion").asText().isEmpty());
    }

    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    WatchState state =
        client.newUntypedWorkflowStub("watch-shoes").query("state", WatchState.class);
    assertEquals(3, state.runsStarted(), state.toString());
    assertTrue(state.executions() > 1, "continued as new: " + state);
    assertEquals(43, state.spec().finetune().seed(), "settings of the second call");

    CliHarness.Result stop = cli.run("watch", "--stop", "--dataset", DATASET);
    assertEquals(0, stop.code(), stop.err());
    assertTrue(stop.err().contains("stopped watcher watch-shoes"), stop.err());
    assertEquals(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
        client.newUntypedWorkflowStub("watch-shoes").describe().getStatus());
    CliHarness.Result stopAgain = cli.run("watch", "--stop", "--dataset", DATASET);
    assertEquals(0, stopAgain.code(), stopAgain.err());
    assertTrue(stopAgain.err().contains("no watcher is running"), stopAgain.err());
  }

  @Test
  @Order(7)
  void aNewWatcherWithoutItsBookkeepingRunsNothingTwice() throws Exception {
    List<String> handled = store.list("watches/shoes/versions/");
    assertEquals(3, handled.size(), handled.toString());
    handled.forEach(store::delete);
    CliHarness.Result again = watch();
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("started watcher"), again.err());
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (store.list("watches/shoes/versions/").size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(3, store.list("watches/shoes/versions/").size());
    for (String key : store.list("watches/shoes/versions/")) {
      assertTrue(
          Json.tree(store.get(key)).path("note").asText().contains("already ended COMPLETED"), key);
    }
    assertEquals(3, watchRuns().size(), "the run records stop a second run of each content");
    assertEquals(0, cli.run("watch", "--stop", "--dataset", DATASET).code());
  }

  @Test
  @Order(8)
  void badInputIsExitTwo() throws Exception {
    Path one = home.resolve("one-class");
    Files.createDirectories(one.resolve("Bag"));
    Files.copy(
        Files.list(folderA.resolve("Bag"))
            .filter(p -> p.toString().endsWith(".png"))
            .findFirst()
            .orElseThrow(),
        one.resolve("Bag").resolve("a.png"));
    CliHarness.Result r = cli.run("data", "push", one.toString(), "--dataset", "other");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("need at least two classes"), r.err());
    assertTrue(store.list("datasets/other/").isEmpty(), "nothing uploaded");

    CliHarness.Result noModel = cli.run("watch", "--dataset", "other", "--pretrained", "nope");
    assertEquals(2, noModel.code(), noModel.err());
    assertTrue(noModel.err().contains("no model named 'nope'"), noModel.err());
  }

  private static CliHarness.Result watch(String... more) {
    List<String> args =
        new ArrayList<>(List.of("watch", "--dataset", DATASET, "--pretrained", "wbase"));
    args.addAll(List.of(RUN_FLAGS));
    args.addAll(List.of(more));
    return cli.run(args.toArray(String[]::new));
  }

  /** The watch-triggered runs, from {@code list --json}. */
  private static List<JsonNode> watchRuns() {
    CliHarness.Result list = cli.run("list", "--json");
    assertEquals(0, list.code(), list.err());
    List<JsonNode> runs = new ArrayList<>();
    for (JsonNode run : Json.tree(list.out().getBytes())) {
      if ("watch".equals(run.path("trigger").asText())) {
        runs.add(run);
      }
    }
    return runs;
  }

  /** Waits for the watch run of a dataset version to end, and returns its list entry. */
  private static JsonNode awaitRun(String version) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (JsonNode run : watchRuns()) {
        if (version.equals(run.path("datasetVersion").asText())
            && !"RUNNING".equals(run.path("status").asText())) {
          return run;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no finished run of version " + version + ": " + watchRuns());
  }

  private static JsonNode decision(String runId) {
    return Json.tree(store.get("models/wbase/decisions/" + runId + ".json"));
  }

  private static JsonNode champion() {
    return Json.tree(store.get("models/wbase/champion.json"));
  }
}
