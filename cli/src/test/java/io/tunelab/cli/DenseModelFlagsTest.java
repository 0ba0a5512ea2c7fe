package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.cli.options.DenseModelFlags;
import io.tunelab.cli.options.TrainingOptions;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The mlp's flags ({@code --hidden}, {@code --dropout}, {@code --l2}): parsed into the parameters,
 * and usage errors naming the flag for an image model; {@code --augment} one for the mlp.
 */
class DenseModelFlagsTest {
  @TempDir Path home;

  private static TrainingOptions parse(String... args) {
    TrainingOptions options = new TrainingOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void theFlagsBecomeTheParametersAndTheirAbsenceTheDefaults() {
    TrainingParams p =
        parse("--hidden", "64,32", "--dropout", "0.5", "--l2", "0.01").params(Freeze.NONE);
    assertEquals(List.of(64, 32), p.hidden());
    assertEquals(0.5, p.dropout());
    assertEquals(0.01, p.l2());
    TrainingOptions none = parse();
    assertEquals(List.of(), none.denseFlagsGiven());
    assertEquals(TrainingParams.DEFAULT_HIDDEN, none.params(Freeze.NONE).hidden());
    assertEquals(0.0, none.params(Freeze.NONE).l2());
  }

  @Test
  void anImageModelRefusesThemNamingTheFlag() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> DenseModelFlags.forPretrain("cnn").check(parse("--dropout", "0.5")));
    assertTrue(
        e.getMessage().startsWith("--dropout applies to the mlp model of tables"), e.getMessage());
    ModelInfo cnn =
        new ModelInfo(
            "src",
            1,
            "cnn",
            SampleShape.image(1, 28, 28),
            List.of("a", "b"),
            "k",
            null,
            0,
            null,
            List.of());
    DenseModelFlags registered = DenseModelFlags.forPretrained(cnn, null);
    e = assertThrows(UsageException.class, () -> registered.check(parse("--l2", "0.01")));
    assertTrue(
        e.getMessage()
            .contains(
                "--l2 applies to the mlp model of tables, not to the pretrained model src (cnn)"),
        e.getMessage());
    e = assertThrows(UsageException.class, () -> registered.checkVaried(Set.of("lr", "hidden")));
    assertTrue(
        e.getMessage().startsWith("--vary hidden: applies to the mlp model"), e.getMessage());
    registered.check(parse("--augment", "light"));
    assertFalse(registered.mlp());
  }

  @Test
  void theMlpRefusesAugmentation() {
    DenseModelFlags mlp = DenseModelFlags.forPretrain("mlp");
    mlp.check(parse("--hidden", "16", "--dropout", "0.2"));
    UsageException e =
        assertThrows(UsageException.class, () -> mlp.check(parse("--augment", "light")));
    assertTrue(e.getMessage().contains("a table's rows are not augmented"), e.getMessage());
  }

  @Test
  void aTableTrainsTheMlpAndImagesTheOthers() throws Exception {
    Path images = Files.createDirectories(home.resolve("images"));
    Path table = Files.createDirectories(home.resolve("table"));
    Files.writeString(table.resolve("train.csv"), "a,label\n1,x\n");
    DenseModelFlags cnn = DenseModelFlags.forPretrain("cnn");
    DenseModelFlags mlp = DenseModelFlags.forPretrain("mlp");
    cnn.checkData(images.toString());
    mlp.checkData(table.toString());
    mlp.checkData("s3://bucket/rows.csv");
    cnn.checkData("s3://bucket/prefix");
    UsageException e =
        assertThrows(
            UsageException.class, () -> cnn.checkData(table.resolve("train.csv").toString()));
    assertTrue(
        e.getMessage().contains("is a table, which the mlp model takes, not --model cnn"),
        e.getMessage());
    e = assertThrows(UsageException.class, () -> mlp.checkData(images.toString()));
    assertTrue(e.getMessage().contains("holds images (no train.csv)"), e.getMessage());
  }

  @Test
  void pretrainRefusesThemForAnImageModelBeforeContactingAnything() throws Exception {
    Path data = Files.createDirectories(home.resolve("data"));
    CliHarness.Result r =
        CliHarness.raw(
            "pretrain",
            "--data",
            data.toString(),
            "--name",
            "m",
            "--dropout",
            "0.5",
            "--home",
            home.toString(),
            "--temporal-target",
            "127.0.0.1:1",
            "--s3-endpoint",
            "http://127.0.0.1:1");
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err().contains("--dropout applies to the mlp model of tables, not to --model cnn"),
        r.err());
  }
}
