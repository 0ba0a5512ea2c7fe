package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.cli.options.SweepAxes;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.SweepConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A sweep's {@code --vary} flags: the configs they make, and every bad one refused with exit 2
 * naming it before anything is contacted (the endpoints below are dead).
 */
class SweepArgumentsTest {
  @TempDir Path home;

  private CliHarness.Result sweep(String... more) throws Exception {
    Path data = Files.createDirectories(home.resolve("data"));
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "sweep",
                "--data",
                data.toString(),
                "--pretrained",
                "m",
                "--home",
                home.toString(),
                "--temporal-target",
                "127.0.0.1:1",
                "--s3-endpoint",
                "http://127.0.0.1:1"));
    args.addAll(List.of(more));
    return CliHarness.raw(args.toArray(String[]::new));
  }

  private void assertRefused(String expected, String... vary) throws Exception {
    CliHarness.Result r = sweep(vary);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(expected), "'" + expected + "' in: " + r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
  }

  @Test
  void badVaryFlagsAreUsageErrorsNamingThem() throws Exception {
    assertRefused("--vary bogus: unknown flag; a sweep varies one of", "--vary", "bogus=1,2");
    assertRefused("--vary lr=abc: ", "--vary", "lr=0.1,abc");
    assertRefused("--vary epochs=0: epochs must be > 0: 0", "--vary", "epochs=3,0");
    assertRefused(
        "--vary optimizer=rmsprop: optimizer must be one of sgd|adam|adamw: rmsprop",
        "--vary",
        "optimizer=adam,rmsprop");
    assertRefused("--vary label: not a training setting", "--vary", "label=a,b");
    assertRefused("--vary clip-frames: applies to video clips", "--vary", "clip-frames=8,16");
    assertRefused("--vary seed: give --seeds N instead", "--vary", "seed=1,2");
    assertRefused("--vary pretrained: not a training setting", "--vary", "pretrained=a,b");
    assertRefused(
        "--vary scratch-lr: there is no scratch arm", "--no-scratch", "--vary", "scratch-lr=1,2");
    assertRefused("--vary lr=0.1,,0.2: an empty value", "--vary", "lr=0.1,,0.2");
    assertRefused("--vary lr is given twice", "--vary", "lr=0.1", "--vary", "lr=0.2");
    assertRefused("--vary lr: expected FLAG=V1,V2", "--vary", "lr");
    assertRefused(
        "--vary class-weighted=maybe: a switch takes true or false",
        "--vary",
        "class-weighted=true,maybe");
    assertRefused("--seeds must be > 0: 0", "--vary", "lr=0.1", "--seeds", "0");
    assertRefused("--max-parallel must be > 0: 0", "--vary", "lr=0.1", "--max-parallel", "0");
  }

  @Test
  void theMlpsFlagsAreVariedAsRunFlags() throws Exception {
    // Whether they apply is known once the pretrained model is (DenseModelFlags).
    CliHarness.Result r = sweep("--vary", "dropout=0,0.5", "--vary", "l2=0,0.01");
    assertEquals(3, r.code(), r.err());
  }

  @Test
  void aGoodSweepGetsAsFarAsTheDeadTemporal() throws Exception {
    CliHarness.Result r = sweep("--vary", "lr=0.1,0.01", "--vary", "head-dropout=0,0.5");
    assertEquals(3, r.code(), r.err());
  }

  @Test
  void configsAreTheCartesianProductInTheOrderGiven() throws Exception {
    Path data = Files.createDirectories(home.resolve("data"));
    SweepCommandUnderTest command = new SweepCommandUnderTest();
    CommandLine line = new CommandLine(command);
    line.parseArgs(
        "--data",
        data.toString(),
        "--pretrained",
        "m",
        "--optimizer",
        "sgd",
        "--lr",
        "0.5",
        "--vary",
        "lr=0.1,0.01",
        "--vary",
        "optimizer=adam,sgd",
        "--vary",
        "class-weighted=true,false");
    SweepAxes axes = SweepAxes.parse(command.vary, line.getParseResult(), command.run);
    List<SweepConfig> configs = axes.configs("s");

    assertEquals(8, configs.size());
    assertEquals(
        Map.of("lr", "0.1", "optimizer", "adam", "class-weighted", "true"),
        configs.get(0).values());
    assertEquals(
        Map.of("lr", "0.01", "optimizer", "sgd", "class-weighted", "false"),
        configs.get(7).values());
    assertEquals(0.1, configs.get(0).finetune().learningRate());
    assertEquals(Optimizer.ADAM, configs.get(0).finetune().optimizer());
    assertTrue(configs.get(0).finetune().classWeighted());
    assertFalse(configs.get(1).finetune().classWeighted());
    assertEquals(0.01, configs.get(7).finetune().learningRate());
    assertEquals(Optimizer.SGD, configs.get(7).finetune().optimizer());
    assertEquals(0.01, configs.get(7).scratchLearningRate(), "the scratch arm follows --lr");
    assertEquals(
        List.of(1, 2, 3, 4, 5, 6, 7, 8), configs.stream().map(SweepConfig::config).toList());
  }

  /** The sweep command's options, parsed without running it. */
  @CommandLine.Command(name = "sweep")
  static final class SweepCommandUnderTest {
    @CommandLine.Mixin io.tunelab.cli.options.RunOptions run;

    @CommandLine.Option(names = "--vary")
    List<String> vary;
  }
}
