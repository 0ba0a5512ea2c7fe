package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.storage.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A table through the whole stack: {@code pretrain --model mlp} on a generated CSV registers a
 * source model, and {@code run} fine-tunes it on another table with the same feature columns (a new
 * output layer for its classes, the pretrained hidden layers) against a scratch baseline, with
 * dropout and L2, probes included, to a completed report; a {@code --hidden} other than the
 * pretrained model's is refused, and so are (exit 2, naming the columns) a train.csv and val.csv
 * with different headers and a table whose feature columns are not the pretrained model's.
 */
@Tag("integration")
class TableEndToEndTest extends LiveStack {

  /** {@code n} rows of 6 features on different scales; the class is decided by the first three. */
  private static Path csv(String name, int n, boolean threeClasses, long seed) throws Exception {
    Random random = new Random(seed);
    StringBuilder out = new StringBuilder("a,b,c,d,e,f,label\n");
    for (int i = 0; i < n; i++) {
      double[] z = new double[6];
      for (int j = 0; j < 6; j++) {
        z[j] = random.nextGaussian();
        out.append(String.format(Locale.ROOT, "%.4f,", z[j] * (1 + 5 * j) + 10 * j));
      }
      String label =
          threeClasses
              ? (z[0] >= z[1] && z[0] >= z[2] ? "x" : z[1] >= z[2] ? "y" : "z")
              : (z[0] + z[1] - z[2] > 0 ? "yes" : "no");
      out.append(label).append('\n');
    }
    Path file = home.resolve(name);
    Files.writeString(file, out);
    return file;
  }

  @Test
  void anMlpPretrainedOnATableFineTunesOnAnother() throws Exception {
    Path source = csv("source.csv", 400, true, 1);
    Path target = csv("target.csv", 300, false, 2);
    CliHarness.Result pretrained =
        cli.run(
            "pretrain",
            "--data",
            source.toString(),
            "--name",
            "table-src",
            "--model",
            "mlp",
            "--hidden",
            "16,8",
            "--epochs",
            "3",
            "--lr",
            "0.01",
            "--wait",
            "--json");
    assertEquals(0, pretrained.code(), pretrained.err());
    JsonNode source0 = Json.tree(pretrained.out().getBytes());
    assertEquals("COMPLETED", source0.path("status").asText(), pretrained.out());

    CliHarness.Result refused =
        cli.run("run", "--data", target.toString(), "--pretrained", "table-src", "--hidden", "32");
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("has hidden layers [16, 8]"), refused.err());

    // train.csv and val.csv with different headers: bad input, naming the columns.
    Path splits = Files.createDirectories(home.resolve("splits"));
    Files.copy(csv("train.csv", 100, false, 3), splits.resolve("train.csv"));
    Files.writeString(
        splits.resolve("val.csv"),
        Files.readString(csv("val.csv", 40, false, 4))
            .replaceFirst("^a,b,c,d,e,f,", "a,b,c,d,e,g,"));
    CliHarness.Result mismatch =
        cli.run("run", "--data", splits.toString(), "--pretrained", "table-src", "--wait");
    assertEquals(2, mismatch.code(), mismatch.err());
    assertTrue(
        mismatch.err().contains("val.csv's header differs from train.csv's: missing [f], not in "),
        mismatch.err());
    assertTrue(mismatch.err().contains("[g]"), mismatch.err());

    // A table whose feature columns are not the pretrained model's: bad input, naming them.
    Path renamed = home.resolve("renamed.csv");
    Files.writeString(
        renamed,
        Files.readString(csv("other.csv", 100, false, 5))
            .replaceFirst("^a,b,c,d,e,f,", "a,b,c,d,e,g,"));
    CliHarness.Result other =
        cli.run("run", "--data", renamed.toString(), "--pretrained", "table-src", "--wait");
    assertEquals(2, other.code(), other.err());
    assertTrue(
        other
            .err()
            .contains(
                "its feature columns differ from those the pretrained model was trained on: "
                    + "the model's [f] missing, [g] not among the model's"),
        other.err());

    CliHarness.Result r =
        cli.run(
            "run",
            "--data",
            target.toString(),
            "--pretrained",
            "table-src",
            "--epochs",
            "8",
            "--lr",
            "0.01",
            "--dropout",
            "0.2",
            "--l2",
            "0.001",
            "--name",
            "table-run",
            "--wait",
            "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode report = Json.tree(r.out().getBytes());
    assertEquals("COMPLETED", report.path("status").asText(), r.out());
    System.out.println(
        "table run: "
            + report.path("arms").path("finetune").path("test")
            + " "
            + report.path("arms").path("scratch").path("test")
            + " "
            + report.path("findings"));
    for (String arm : new String[] {"finetune", "scratch"}) {
      JsonNode a = report.path("arms").path(arm);
      assertTrue(a.path("epochs").size() >= 1, arm + ": " + a);
      // Well above chance (0.5) on a test split of 45 rows.
      assertTrue(a.path("test").path("acc").asDouble() > 0.6, arm + ": " + a.path("test"));
    }

    // The classic comparison of a dense network: none, dropout, L2 and both, as one sweep.
    CliHarness.Result sweep =
        cli.run(
            "sweep",
            "--data",
            target.toString(),
            "--pretrained",
            "table-src",
            "--epochs",
            "4",
            "--lr",
            "0.01",
            "--no-scratch",
            "--no-probes",
            "--vary",
            "dropout=0,0.5",
            "--vary",
            "l2=0,0.01",
            "--name",
            "table-sweep",
            "--wait",
            "--json");
    assertEquals(0, sweep.code(), sweep.err());
    JsonNode swept = Json.tree(sweep.out().getBytes());
    assertEquals("COMPLETED", swept.path("status").asText(), sweep.out());
    List<String> values = new ArrayList<>();
    for (JsonNode c : swept.path("configs")) {
      values.add(
          c.path("values").path("dropout").asText() + "/" + c.path("values").path("l2").asText());
      assertEquals("COMPLETED", c.path("runs").get(0).path("status").asText(), c.toString());
    }
    assertEquals(
        List.of("0/0", "0/0.01", "0.5/0", "0.5/0.01"), values, swept.path("configs").toString());
    assertTrue(swept.path("findings").size() >= 1, "a verdict: " + swept.path("findings"));
  }
}
