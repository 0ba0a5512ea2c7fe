package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.IdxReader;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.SyntheticClips;
import io.tunelab.dataset.SyntheticClips.Format;
import io.tunelab.dataset.SyntheticClips.Spec;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.Json;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process is killed with SIGKILL during epoch 3 of 6 and another one is started; the run
 * completes with every epoch once, says it resumed, and ends with the validation loss of an
 * uninterrupted run with the same seed. Likewise part-way through an epoch saved every second
 * ({@code --checkpoint-every 1s}), and for a {@code c3d} on video clips.
 */
@Tag("integration")
class ResumeAfterKillTest {
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir static Path home;
  static EmbeddedStack stack;
  static S3Credentials creds;
  static CliHarness cli;
  static Path source;
  static Path target;
  static final List<WorkerProcess> workers = new ArrayList<>();

  @BeforeAll
  static void startStack() throws Exception {
    creds = CredentialStore.resolve(home, null, null);
    stack = EmbeddedStack.start(home, 0, 0, creds, "tunelab");
    cli = new CliHarness(home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint());
    LabeledImages train =
        IdxReader.read(
            FASHION.resolve("train-images-idx3-ubyte.gz"),
            FASHION.resolve("train-labels-idx1-ubyte.gz"));
    source = home.resolve("source");
    target = home.resolve("target");
    FashionMnistFolders.export(train, new int[] {0, 1, 2}, 100, 1, source);
    FashionMnistFolders.export(train, new int[] {5, 7, 8, 9}, 1000, 2, target);
  }

  @AfterAll
  static void stopStack() throws Exception {
    for (WorkerProcess w : workers) {
      w.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  private static WorkerProcess worker() throws Exception {
    WorkerProcess w =
        WorkerProcess.start(
            home,
            stack.endpoints().temporalTarget(),
            stack.endpoints().s3Endpoint(),
            home.resolve("worker.log"));
    workers.add(w);
    return w;
  }

  private static String[] runArgs(String name) {
    return new String[] {
      "run",
      "--data",
      target.toString(),
      "--pretrained",
      "resume-src",
      "--epochs",
      "4",
      "--early-stopping-patience",
      "0",
      "--optimizer",
      "adam",
      "--seed",
      "11",
      "--no-scratch",
      "--no-probes",
      "--name",
      name
    };
  }

  @Test
  void killedWorkerDuringEpochThreeResumesToTheSameResult() throws Exception {
    stopWorkers();
    WorkerProcess first = worker();
    CliHarness.Result pretrained =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "resume-src",
            "--epochs",
            "1",
            "--wait");
    assertEquals(
        0, pretrained.code(), pretrained.err() + Files.readString(home.resolve("worker.log")));

    CliHarness.Result started = cli.run(runArgs("killed"));
    assertEquals(0, started.code(), started.err());
    int epochsAtKill = waitForEpochs("killed", 2, Duration.ofMinutes(6));
    first.kill();
    assertTrue(!first.alive());
    assertEquals(2, epochsAtKill, "killed during epoch 3");

    // While the killed epoch waits out its heartbeat timeout, the same run goes uninterrupted.
    worker();
    CliHarness.Result uninterrupted = cli.run(concat(runArgs("uninterrupted"), "--wait", "--json"));
    assertEquals(0, uninterrupted.code(), uninterrupted.err());
    JsonNode killed = waitForReport("killed", Duration.ofMinutes(10));
    JsonNode clean = Json.tree(uninterrupted.out().getBytes());

    JsonNode arm = killed.path("arms").path("finetune");
    assertEquals("COMPLETED", killed.path("status").asText());
    List<Integer> epochs = new ArrayList<>();
    arm.path("epochs").forEach(e -> epochs.add(e.path("epoch").asInt()));
    assertEquals(List.of(1, 2, 3, 4), epochs, "epochs 1-4 each once");
    assertEquals(2, arm.path("resumedFromEpoch").asInt(), arm.toString());
    assertTrue(clean.path("arms").path("finetune").path("resumedFromEpoch").isNull());
    double resumedLoss = arm.path("epochs").get(3).path("valLoss").asDouble();
    double cleanLoss =
        clean.path("arms").path("finetune").path("epochs").get(3).path("valLoss").asDouble();
    assertEquals(
        cleanLoss, resumedLoss, 1e-3, "final validation loss of resumed vs uninterrupted run");
    // --no-probes: trained, evaluated and diagnosed, but no probe ran.
    ObjectStore store =
        ObjectStore.connect(
            new StoreConfig(
                stack.endpoints().s3Endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
    for (String run : List.of("killed", "uninterrupted")) {
      assertTrue(store.exists("runs/" + run + "/report.json"), run);
      assertEquals(List.of(), store.list("runs/" + run + "/probes/"), run + ": no probes");
    }
    assertTrue(killed.path("findings").size() > 0, "findings from the curves");
  }

  /**
   * With {@code --checkpoint-every 1s} the epoch in flight is saved every second: a worker killed
   * part-way through epoch 2 loses less than that epoch, the next attempt continues from the saved
   * step, the report says so, and the run ends exactly as an uninterrupted one.
   */
  @Test
  void killedWorkerMidEpochContinuesFromTheInEpochCheckpoint() throws Exception {
    stopWorkers();
    WorkerProcess first = worker();
    CliHarness.Result pretrained =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "mid-src",
            "--epochs",
            "1",
            "--wait");
    assertEquals(0, pretrained.code(), pretrained.err());
    String[] args = {
      "run",
      "--data",
      target.toString(),
      "--pretrained",
      "mid-src",
      "--epochs",
      "3",
      "--batch-size",
      "16",
      "--early-stopping-patience",
      "0",
      "--seed",
      "3",
      "--checkpoint-every",
      "1s",
      "--no-scratch",
      "--no-probes"
    };
    ObjectStore store =
        ObjectStore.connect(
            new StoreConfig(
                stack.endpoints().s3Endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));

    CliHarness.Result started = cli.run(concat(args, "--name", "mid-killed"));
    assertEquals(0, started.code(), started.err());
    String saved = "runs/mid-killed/finetune/epoch-0002/in-epoch.json";
    Instant end = Instant.now().plus(Duration.ofMinutes(6));
    while (!store.exists(saved) && Instant.now().isBefore(end)) {
      Thread.sleep(20);
    }
    assertTrue(store.exists(saved), "epoch 2 was saved part-way");
    first.kill();
    worker();
    JsonNode killed = waitForReport("mid-killed", Duration.ofMinutes(10));
    CliHarness.Result clean = cli.run(concat(args, "--name", "mid-clean", "--wait", "--json"));
    assertEquals(0, clean.code(), clean.err());

    JsonNode arm = killed.path("arms").path("finetune");
    assertEquals("COMPLETED", killed.path("status").asText());
    List<Integer> epochs = new ArrayList<>();
    arm.path("epochs").forEach(e -> epochs.add(e.path("epoch").asInt()));
    assertEquals(List.of(1, 2, 3), epochs);
    assertTrue(
        arm.path("notes")
            .toString()
            .contains("epoch 2 continued from its in-epoch checkpoint at step"),
        arm.path("notes").toString());
    JsonNode cleanArm = Json.tree(clean.out().getBytes()).path("arms").path("finetune");
    System.out.printf(
        "mid-epoch kill: notes %s; final val loss %.9f resumed, %.9f clean%n",
        arm.path("notes"),
        arm.path("epochs").get(2).path("valLoss").asDouble(),
        cleanArm.path("epochs").get(2).path("valLoss").asDouble());
    for (int e = 0; e < 3; e++) {
      assertEquals(
          cleanArm.path("epochs").get(e).path("valLoss").asDouble(),
          arm.path("epochs").get(e).path("valLoss").asDouble(),
          1e-9,
          "epoch " + (e + 1));
      assertEquals(
          cleanArm.path("epochs").get(e).path("trainLoss").asDouble(),
          arm.path("epochs").get(e).path("trainLoss").asDouble(),
          1e-9,
          "epoch " + (e + 1));
    }
    assertEquals(
        List.of(),
        store.list("runs/mid-killed/finetune/epoch-0002/in-epoch"),
        "the in-epoch checkpoint is gone once its epoch is done");
  }

  /**
   * The same for video clips: a {@code c3d} fine-tune with clip augmentation, its worker killed in
   * epoch 3 of 4, ends with every epoch's metrics equal to an uninterrupted run's.
   */
  @Test
  void killedClipWorkerResumesToTheSameResult() throws Exception {
    stopWorkers();
    WorkerProcess first = worker();
    Path clipSource = home.resolve("clip-source");
    Path clipTarget = home.resolve("clip-target");
    SyntheticClips.fashionMnist(FASHION, true)
        .write(new Spec(SyntheticClips.SOURCE, 6, 16, 32, 1), Format.FRAMES, clipSource);
    SyntheticClips.fashionMnist(FASHION, false)
        .write(new Spec(SyntheticClips.TARGET, 10, 16, 32, 2), Format.MP4, clipTarget);
    CliHarness.Result pretrained =
        cli.run(
            "pretrain",
            "--data",
            clipSource.toString(),
            "--name",
            "clip-resume-src",
            "--model",
            "c3d",
            "--clip-frames",
            "8",
            "--epochs",
            "1",
            "--wait");
    assertEquals(
        0, pretrained.code(), pretrained.err() + Files.readString(home.resolve("worker.log")));
    String[] args = {
      "run",
      "--data",
      clipTarget.toString(),
      "--pretrained",
      "clip-resume-src",
      "--epochs",
      "4",
      "--early-stopping-patience",
      "0",
      "--augment",
      "standard",
      "--seed",
      "5",
      "--no-scratch",
      "--no-probes"
    };
    CliHarness.Result started = cli.run(concat(args, "--name", "clip-killed"));
    assertEquals(0, started.code(), started.err());
    int epochsAtKill = waitForEpochs("clip-killed", 2, Duration.ofMinutes(6));
    first.kill();
    assertTrue(!first.alive());
    assertEquals(2, epochsAtKill, "killed during epoch 3");

    worker();
    CliHarness.Result clean = cli.run(concat(args, "--name", "clip-clean", "--wait", "--json"));
    assertEquals(0, clean.code(), clean.err());
    JsonNode killed = waitForReport("clip-killed", Duration.ofMinutes(10));
    JsonNode cleanArm = Json.tree(clean.out().getBytes()).path("arms").path("finetune");
    JsonNode arm = killed.path("arms").path("finetune");
    assertEquals("COMPLETED", killed.path("status").asText(), killed.toString());
    assertEquals(2, arm.path("resumedFromEpoch").asInt(), arm.toString());
    List<String> differences = new ArrayList<>();
    for (int e = 0; e < 4; e++) {
      for (String metric : List.of("trainLoss", "trainAcc", "valLoss", "valAcc", "lr")) {
        double expected = cleanArm.path("epochs").get(e).path(metric).asDouble();
        double actual = arm.path("epochs").get(e).path(metric).asDouble();
        if (Math.abs(expected - actual) > 1e-5 * Math.max(1e-12, Math.abs(expected))) {
          differences.add("epoch " + (e + 1) + " " + metric + " " + expected + " vs " + actual);
        }
      }
    }
    assertEquals(List.of(), differences, "resumed vs uninterrupted c3d");
  }

  private static void stopWorkers() throws InterruptedException {
    for (WorkerProcess w : workers) {
      w.close();
    }
    workers.clear();
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static int epochs(String run) {
    CliHarness.Result status = cli.run("status", run, "--json");
    return Json.tree(status.out().getBytes()).path("arms").path("finetune").path("epochs").asInt();
  }

  private static int waitForEpochs(String run, int count, Duration timeout)
      throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      int epochs = epochs(run);
      if (epochs >= count) {
        return epochs;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(run + " did not reach " + count + " epochs in " + timeout);
  }

  private static JsonNode waitForReport(String run, Duration timeout) throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      CliHarness.Result status = cli.run("status", run, "--json");
      String s = Json.tree(status.out().getBytes()).path("status").asText();
      if (!s.equals("RUNNING")) {
        CliHarness.Result report = cli.run("report", run);
        return Json.tree(report.out().getBytes());
      }
      Thread.sleep(500);
    }
    throw new AssertionError(run + " did not finish in " + timeout);
  }
}
