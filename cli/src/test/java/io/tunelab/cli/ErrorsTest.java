package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.infra.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong flags, missing data and dead endpoints end with one line and the contract's exit code. */
class ErrorsTest {
  @TempDir Path home;

  private static void assertOneLine(CliHarness.Result r) {
    String err = r.err().strip();
    assertFalse(err.contains("\tat "), "no stack trace: " + err);
    assertFalse(err.isEmpty(), "a message on stderr");
  }

  @Test
  void unknownFlagIsUsage() {
    CliHarness.Result r = CliHarness.raw("run", "--bogus");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--bogus"), r.err());
  }

  @Test
  void missingDataFolderIsUsageNamingIt() {
    CliHarness.Result r =
        CliHarness.raw(
            "run",
            "--data",
            home.resolve("nope").toString(),
            "--pretrained",
            "m",
            "--home",
            home.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nope: no such folder"), r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
  }

  @Test
  void aTableLabelThatIsAlsoIgnoredIsUsage() throws Exception {
    Path csv = Files.writeString(home.resolve("t.csv"), "a,y\n1,0\n2,1\n");
    CliHarness.Result r =
        CliHarness.raw(
            "run",
            "--data",
            csv.toString(),
            "--pretrained",
            "m",
            "--label",
            "y",
            "--ignore-columns",
            "a,y",
            "--home",
            home.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--label y: the label column cannot also be ignored"), r.err());
    assertOneLine(r);
  }

  @Test
  void badHyperParameterIsUsageNamingIt() throws Exception {
    Path data = Files.createDirectories(home.resolve("data"));
    CliHarness.Result r =
        CliHarness.raw(
            "run",
            "--data",
            data.toString(),
            "--pretrained",
            "m",
            "--epochs",
            "0",
            "--home",
            home.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("epochs must be > 0: 0"), r.err());
    assertOneLine(r);
  }

  @Test
  void milestonesWithoutTheStepScheduleOrOutOfOrderAreUsage() throws Exception {
    Path data = Files.createDirectories(home.resolve("data"));
    String[] base = {
      "run", "--data", data.toString(), "--pretrained", "m", "--home", home.toString()
    };
    CliHarness.Result r = CliHarness.raw(concat(base, "--milestones", "4,8"));
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("--milestones applies to --schedule step, not --schedule cosine"),
        r.err());
    assertOneLine(r);
    r = CliHarness.raw(concat(base, "--schedule", "step", "--milestones", "8,4"));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("milestones must be epochs >= 1 in increasing order"), r.err());
    r = CliHarness.raw(concat(base, "--schedule", "step", "--gamma", "2"));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("gamma must be in (0, 1]: 2.0"), r.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void badChoiceIsUsageNamingItsValues() throws Exception {
    Path data = Files.createDirectories(home.resolve("data"));
    for (String[] bad :
        new String[][] {
          {"--optimizer", "rmsprop", "optimizer must be one of sgd|adam|adamw: rmsprop"},
          {"--freeze", "all", "freeze must be one of none|backbone|gradual: all"},
          {"--head", "old", "head must be one of new|reuse: old"},
          {"--schedule", "Cosine", "schedule must be one of none|step|cosine|plateau: Cosine"},
        }) {
      CliHarness.Result r =
          CliHarness.raw(
              "run",
              "--data",
              data.toString(),
              "--pretrained",
              "m",
              bad[0],
              bad[1],
              "--home",
              home.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains(bad[2]), r.err());
      assertOneLine(r);
    }
  }

  @Test
  void badModelNameIsUsageNamingTheFlag() throws Exception {
    Path data = Files.createDirectories(home.resolve("data"));
    CliHarness.Result r =
        CliHarness.raw(
            "pretrain", "--data", data.toString(), "--name", "bad/name", "--home", home.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("tunelab: --name bad/name: model name must be"), r.err());
    assertOneLine(r);
  }

  @Test
  void unreachableTemporalIsExitThree() throws Exception {
    Path data = Files.createDirectories(home.resolve("data"));
    CliHarness.Result r =
        CliHarness.raw(
            "run",
            "--data",
            data.toString(),
            "--pretrained",
            "m",
            "--home",
            home.toString(),
            "--temporal-target",
            "127.0.0.1:" + FreePorts.pick());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("Temporal at 127.0.0.1:"), r.err());
    assertOneLine(r);
  }

  @Test
  void unreachableObjectStoreIsExitThree() {
    CliHarness.Result r =
        CliHarness.raw(
            "list",
            "--home",
            home.toString(),
            "--s3-endpoint",
            "http://127.0.0.1:" + FreePorts.pick());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("cannot be reached"), r.err());
    assertOneLine(r);
  }

  @Test
  void demoWithoutFashionMnistSaysHowToGetIt() {
    CliHarness.Result r =
        CliHarness.raw(
            "demo", "--data", home.resolve("none").toString(), "--home", home.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
  }
}
