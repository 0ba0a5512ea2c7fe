package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.Mp4Writer;
import io.tunelab.dataset.SyntheticClips;
import io.tunelab.dataset.SyntheticClips.Format;
import io.tunelab.dataset.SyntheticClips.Motion;
import io.tunelab.dataset.SyntheticClips.Spec;
import io.tunelab.storage.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The C3D story on generated action clips, through the command line against a live stack: a {@code
 * c3d} network pretrained on MP4s of six motions is fine-tuned against scratch on five motions
 * (three shared, two new) with the step schedule and a reused head; the corrupt and the too-short
 * video are rejected and listed, every video's stacks stay in one split, and the report counts
 * videos, gives each epoch its milestone rate and compares the arms.
 */
@Tag("integration")
class ClipEndToEndTest extends LiveStack {

  @Test
  void aC3dPretrainedOnActionClipsFineTunesAgainstScratch() throws Exception {
    Path source = home.resolve("clips-source");
    Path target = home.resolve("clips-target");
    SyntheticClips.fashionMnist(FASHION, true)
        .write(new Spec(SyntheticClips.SOURCE, 10, 16, 32, 1), Format.MP4, source);
    SyntheticClips targetClips = SyntheticClips.fashionMnist(FASHION, false);
    targetClips.write(new Spec(SyntheticClips.TARGET, 8, 16, 32, 2), Format.MP4, target);
    byte[] junk = new byte[4000];
    new Random(3).nextBytes(junk);
    Files.write(target.resolve("grow/corrupt.mp4"), junk);
    Mp4Writer.write(
        targetClips.video(Motion.GROW, 5, 32, 99),
        1,
        32,
        32,
        25,
        target.resolve("move-left/short.mp4"));

    CliHarness.Result pretrained =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "clips-src",
            "--model",
            "c3d",
            "--clip-frames",
            "8",
            "--frame-size",
            "32",
            "--epochs",
            "3",
            "--lr",
            "0.003",
            "--wait",
            "--json");
    assertEquals(0, pretrained.code(), pretrained.err());
    JsonNode src = Json.tree(pretrained.out().getBytes());
    assertEquals("COMPLETED", src.path("status").asText(), pretrained.out());

    CliHarness.Result r =
        cli.run(
            "run",
            "--data",
            target.toString(),
            "--pretrained",
            "clips-src",
            "--epochs",
            "4",
            "--lr",
            "0.005",
            "--schedule",
            "step",
            "--milestones",
            "2,3",
            "--gamma",
            "0.1",
            "--head",
            "reuse",
            "--name",
            "clips-run",
            "--wait",
            "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode report = Json.tree(r.out().getBytes());
    assertEquals("COMPLETED", report.path("status").asText(), r.out());
    System.out.println(
        "clip run: finetune "
            + report.path("arms").path("finetune").path("test")
            + ", scratch "
            + report.path("arms").path("scratch").path("test")
            + ", comparison "
            + report.path("comparison")
            + ", findings "
            + report.path("findings"));

    JsonNode dataset = report.path("dataset");
    Map<String, String> rejected = new HashMap<>();
    dataset
        .path("rejected")
        .forEach(x -> rejected.put(x.path("path").asText(), x.path("reason").asText()));
    assertEquals(
        Set.of("grow/corrupt.mp4", "move-left/short.mp4"), rejected.keySet(), rejected.toString());
    assertTrue(rejected.get("move-left/short.mp4").startsWith("too short"), rejected.toString());

    // 40 good videos of 16 frames, two stacks of 8 each; every video in exactly one split.
    int videos = 0;
    int stacks = 0;
    for (String split : List.of("train", "val", "test")) {
      for (String cls : SyntheticClips.folders(SyntheticClips.TARGET)) {
        int v = dataset.path("videos").path(split).path(cls).asInt();
        int s = dataset.path("splits").path(split).path(cls).asInt();
        assertEquals(2 * v, s, split + "/" + cls + ": " + dataset);
        videos += v;
        stacks += s;
      }
    }
    assertEquals(40, videos, dataset.toString());
    assertEquals(80, stacks, dataset.toString());
    assertEquals(0, dataset.path("duplicatesAcrossSplits").asInt(), dataset.toString());

    // The step schedule: 0.005 until epoch 2, divided by 10 after epochs 2 and 3.
    JsonNode finetune = report.path("arms").path("finetune");
    double[] rates = {0.005, 0.005, 0.0005, 0.00005};
    Set<Integer> seen = new HashSet<>();
    for (JsonNode epoch : finetune.path("epochs")) {
      int e = epoch.path("epoch").asInt();
      if (e >= 1) {
        assertEquals(rates[e - 1], epoch.path("lr").asDouble(), 1e-12, "epoch " + e);
        seen.add(e);
      }
    }
    assertEquals(Set.of(1, 2, 3, 4), seen, finetune.toString());
    for (String arm : List.of("finetune", "scratch")) {
      JsonNode test = report.path("arms").path(arm).path("test");
      assertTrue(test.path("acc").asDouble() >= 0 && test.has("loss"), arm + ": " + test);
    }
    assertTrue(
        Set.of("finetune", "scratch", "tie")
            .contains(report.path("comparison").path("winner").asText()),
        report.path("comparison").toString());
    assertTrue(report.path("findings").isArray(), report.toString());

    // A rate that blows up: the run fails (exit 1) and --json still prints its report, whose
    // findings say why.
    CliHarness.Result diverged =
        cli.run(
            "run",
            "--data",
            target.toString(),
            "--pretrained",
            "clips-src",
            "--epochs",
            "2",
            "--optimizer",
            "sgd",
            "--lr",
            "50",
            "--no-scratch",
            "--no-probes",
            "--name",
            "clips-diverged",
            "--wait",
            "--json");
    assertEquals(1, diverged.code(), diverged.err());
    JsonNode failed = Json.tree(diverged.out().getBytes());
    assertEquals("FAILED", failed.path("status").asText(), diverged.out());
    List<String> codes = new java.util.ArrayList<>();
    failed.path("findings").forEach(f -> codes.add(f.path("code").asText()));
    assertTrue(codes.contains("lr-too-high"), failed.path("findings").toString());

    CliHarness.Result html = cli.run("report", "clips-run", "--format", "html");
    assertEquals(0, html.code(), html.err());
    assertTrue(html.out().contains("<caption>stacks (videos)</caption>"), "videos beside stacks");
  }
}
