package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.storage.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * "Data you can trust", accepted through the CLI against the live stack: bad files are listed with
 * a reason and the run goes on; a class without images is a bad input (exit 2) naming the class;
 * images copied from val into train are reported as leakage; and an {@code s3://} prefix is a
 * source like a folder. Every run is small (about 200 images, one epoch, no scratch arm) and
 * fine-tunes one small model pretrained once for the class.
 */
@Tag("integration")
class DataAcceptanceTest extends LiveStack {
  static LabeledImages fashion;

  @BeforeAll
  static void pretrainASmallModel() throws Exception {
    fashion = fashionTrain();
    Path source = home.resolve("pretrain-source");
    FashionMnistFolders.export(fashion, new int[] {0, 1, 2}, 40, 11, source);
    CliHarness.Result r =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "base",
            "--epochs",
            "1",
            "--batch-size",
            "32",
            "--wait",
            "--json");
    assertEquals(0, r.code(), r.err());
  }

  /** Runs one small fine-tune-only experiment and returns the process result. */
  private static CliHarness.Result run(String data, String name, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--data",
                data,
                "--pretrained",
                "base",
                "--epochs",
                "1",
                "--batch-size",
                "32",
                "--no-scratch",
                "--name",
                name,
                "--wait",
                "--json"));
    args.addAll(List.of(extra));
    return cli.run(args.toArray(String[]::new));
  }

  private static JsonNode completedReport(CliHarness.Result r) {
    assertEquals(0, r.code(), r.err());
    JsonNode report = Json.tree(r.out().getBytes(StandardCharsets.UTF_8));
    assertEquals("COMPLETED", report.path("status").asText(), r.out());
    return report;
  }

  private static Map<String, String> rejected(JsonNode report) {
    Map<String, String> reasons = new HashMap<>();
    for (JsonNode r : report.path("dataset").path("rejected")) {
      reasons.put(r.path("path").asText(), r.path("reason").asText());
    }
    return reasons;
  }

  @Test
  void badFilesAreRejectedWithAReasonAndTheRunCompletes() throws Exception {
    Path data = home.resolve("salted");
    FashionMnistFolders.export(fashion, new int[] {5, 7, 8}, 70, 21, data);
    byte[] realPng = Files.readAllBytes(firstPng(data.resolve("Bag")));
    Files.write(data.resolve("Sandal/zero-bytes.png"), new byte[0]);
    Files.writeString(data.resolve("Sneaker/readme.png"), "this is text, not an image\n");
    Files.write(data.resolve("Bag/truncated.png"), Arrays.copyOf(realPng, realPng.length / 2));
    byte[] noise = new byte[2048];
    new Random(5).nextBytes(noise);
    Files.write(data.resolve("Sandal/noise.jpg"), noise);
    Files.createDirectories(data.resolve(".thumbnails"));
    Files.write(data.resolve(".thumbnails/cover.png"), realPng);
    Files.createDirectories(data.resolve("Sneaker/.cache"));
    Files.write(data.resolve("Sneaker/.cache/copy.png"), realPng);

    JsonNode report =
        completedReport(run(data.toString(), "salted", "--augment", "standard", "--seed", "9"));

    assertEquals(
        List.of("Bag", "Sandal", "Sneaker"),
        Json.mapper().convertValue(report.path("dataset").path("classes"), List.class));
    Map<String, String> reasons = rejected(report);
    assertEquals(6, reasons.size(), "exactly the six bad files: " + reasons);
    for (String bad :
        List.of(
            "Sandal/zero-bytes.png",
            "Sneaker/readme.png",
            "Bag/truncated.png",
            "Sandal/noise.jpg",
            ".thumbnails/cover.png",
            "Sneaker/.cache/copy.png")) {
      assertTrue(reasons.containsKey(bad), bad + " listed in " + reasons);
      assertFalse(reasons.get(bad).isBlank(), "a reason for " + bad);
    }
    assertTrue(reasons.get("Sandal/zero-bytes.png").contains("empty"), reasons.toString());
    assertTrue(reasons.get(".thumbnails/cover.png").contains("hidden"), reasons.toString());
    assertTrue(reasons.get("Sneaker/.cache/copy.png").contains("hidden"), reasons.toString());
    int kept = 0;
    for (String split : List.of("train", "val", "test")) {
      for (JsonNode count : report.path("dataset").path("splits").path(split)) {
        kept += count.asInt();
      }
    }
    assertEquals(210, kept, "every good image is kept");

    String preview = report.path("dataset").path("augmentedSamples").asText();
    assertTrue(
        preview.startsWith("ingests/") && preview.endsWith("/augmented/standard-seed9.png"),
        preview);
    byte[] png = store.get(preview);
    assertEquals(
        8 * (84 + 2) + 2,
        ImageIO.read(new ByteArrayInputStream(png)).getHeight(),
        "eight rows of training images");
    CliHarness.Result html = cli.run("report", "salted", "--format", "html");
    assertEquals(0, html.code(), html.err());
    assertTrue(
        html.out()
            .contains("data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\""),
        "the preview is embedded");
  }

  @Test
  void anEmptyClassFolderIsBadInputNamingTheClass() throws Exception {
    Path data = home.resolve("empty-class");
    FashionMnistFolders.export(fashion, new int[] {5, 7}, 30, 22, data);
    Files.createDirectories(data.resolve("Coat"));

    CliHarness.Result r = run(data.toString(), "empty-class");

    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("'Coat'"), r.err());
    assertTrue(r.err().contains("no usable image"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertTrue(r.out().isBlank(), "nothing on stdout: " + r.out());
  }

  @Test
  void imagesCopiedFromValIntoTrainAreReportedAsLeakage() throws Exception {
    Path pool = home.resolve("split-pool");
    FashionMnistFolders.export(fashion, new int[] {5, 7}, 100, 23, pool);
    Path data = home.resolve("user-splits");
    for (String cls : List.of("Sandal", "Sneaker")) {
      List<Path> files = pngs(pool.resolve(cls));
      distribute(files.subList(0, 70), data.resolve("train").resolve(cls));
      distribute(files.subList(70, 85), data.resolve("val").resolve(cls));
      distribute(files.subList(85, 100), data.resolve("test").resolve(cls));
    }
    int leaked = 4;
    List<String> copies = new ArrayList<>();
    for (Path valImage : pngs(data.resolve("val/Sandal")).subList(0, leaked)) {
      Path copy = data.resolve("train/Sandal/leak-" + valImage.getFileName());
      Files.copy(valImage, copy);
      copies.add("train/Sandal/" + copy.getFileName());
    }

    JsonNode report = completedReport(run(data.toString(), "leaky"));

    JsonNode dataset = report.path("dataset");
    assertEquals(74, dataset.path("splits").path("train").path("Sandal").asInt());
    assertEquals(
        15, dataset.path("splits").path("val").path("Sandal").asInt(), "val kept as given");
    assertTrue(dataset.path("duplicatesAcrossSplits").asInt() >= leaked, dataset.toString());
    List<String> pairedWithVal = new ArrayList<>();
    for (JsonNode pair : dataset.path("duplicatePairs")) {
      if (pair.path("firstSplit").asText().equals("train")
          && pair.path("secondSplit").asText().equals("val")) {
        pairedWithVal.add(pair.path("first").asText());
      }
    }
    assertTrue(pairedWithVal.containsAll(copies), pairedWithVal + " holds " + copies);
    boolean leakage = false;
    for (JsonNode finding : report.path("findings")) {
      leakage |= finding.path("code").asText().equals("train-val-leakage");
    }
    assertTrue(leakage, "train-val-leakage finding: " + report.path("findings"));
  }

  @Test
  void anS3PrefixIsASourceLikeAFolder() throws Exception {
    Path local = home.resolve("to-upload");
    FashionMnistFolders.export(fashion, new int[] {6, 9}, 100, 24, local);
    String prefix = "datasets/fashion/v1/";
    for (Path file : pngs(local.resolve("Shirt"), local.resolve("Ankle_boot"))) {
      store.put(
          prefix + local.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
    }
    store.put(prefix + "_READY", new byte[0]);

    JsonNode report = completedReport(run("s3://tunelab/datasets/fashion/v1", "from-s3"));

    JsonNode dataset = report.path("dataset");
    assertEquals(
        List.of("Ankle_boot", "Shirt"),
        Json.mapper().convertValue(dataset.path("classes"), List.class));
    assertEquals(0, dataset.path("rejected").size(), "the _READY marker is no image: " + dataset);
    int images = 0;
    for (String split : List.of("train", "val", "test")) {
      images += dataset.path("splits").path(split).path("Shirt").asInt();
    }
    assertEquals(100, images);
    assertEquals(1, report.path("arms").path("finetune").path("epochs").size());
  }

  @Test
  void aFolderOfFashionMnistIdxFilesIsASourceWithItsClassNames() {
    JsonNode report =
        completedReport(
            run(FASHION.toString(), "from-idx", "--classes", "Sandal,Bag", "--per-class", "20"));

    JsonNode dataset = report.path("dataset");
    assertEquals(
        List.of("Bag", "Sandal"), Json.mapper().convertValue(dataset.path("classes"), List.class));
    for (String cls : List.of("Bag", "Sandal")) {
      assertEquals(20, dataset.path("splits").path("train").path(cls).asInt(), "--per-class");
      assertEquals(
          1000,
          dataset.path("splits").path("val").path(cls).asInt(),
          "val: every sixth training image of the class");
      assertEquals(1000, dataset.path("splits").path("test").path(cls).asInt(), "test: t10k");
    }
    assertEquals(0, dataset.path("rejected").size());
  }

  @Test
  void aMissingBucketOrAnEmptyPrefixIsBadInputNamingIt() {
    CliHarness.Result noBucket = run("s3://no-such-bucket/datasets/x", "no-bucket");
    assertEquals(2, noBucket.code(), noBucket.err());
    assertTrue(noBucket.err().contains("no bucket 'no-such-bucket'"), noBucket.err());

    CliHarness.Result empty = run("s3://tunelab/datasets/nothing-here", "empty-prefix");
    assertEquals(2, empty.code(), empty.err());
    assertTrue(
        empty.err().contains("s3://tunelab/datasets/nothing-here/: no objects"), empty.err());
    assertFalse(empty.err().contains("\tat "), "no stack trace: " + empty.err());
  }

  private static Path firstPng(Path folder) throws IOException {
    return pngs(folder).get(0);
  }

  private static List<Path> pngs(Path... folders) throws IOException {
    List<Path> all = new ArrayList<>();
    for (Path folder : folders) {
      try (Stream<Path> files = Files.list(folder)) {
        files.filter(f -> f.toString().endsWith(".png")).sorted().forEach(all::add);
      }
    }
    return all;
  }

  private static void distribute(List<Path> files, Path folder) throws IOException {
    Files.createDirectories(folder);
    for (Path file : files) {
      Files.copy(file, folder.resolve(file.getFileName()));
    }
  }
}
