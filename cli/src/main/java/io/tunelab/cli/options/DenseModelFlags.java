package io.tunelab.cli.options;

import io.tunelab.cli.UsageException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.training.CheckpointCodec;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.TrainingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The flags of the mlp model of tables ({@code --hidden}, {@code --dropout}, {@code --l2}) against
 * the model they would train: they are usage errors for an image model, and {@code --augment} is
 * one for the mlp (a table's rows are not augmented). A run fine-tunes a pretrained mlp with its
 * own hidden layers (the scratch arm gets the same), so {@code --hidden} may only repeat them.
 */
public final class DenseModelFlags {
  /** The names of the mlp's flags, as a sweep varies them. */
  public static final Set<String> NAMES = Set.of("hidden", "dropout", "l2");

  /** The architecture of tables. */
  public static final String MLP = "mlp";

  private final String model;
  private final String architecture;
  private final List<Integer> hidden;

  private DenseModelFlags(String model, String architecture, List<Integer> hidden) {
    this.model = model;
    this.architecture = architecture;
    this.hidden = hidden;
  }

  /** The flags of {@code pretrain --model architecture}. */
  public static DenseModelFlags forPretrain(String architecture) {
    return new DenseModelFlags("--model " + architecture, architecture, null);
  }

  /**
   * The flags against a registered pretrained model, reading an mlp's hidden widths from its
   * checkpoint.
   */
  public static DenseModelFlags forPretrained(ModelInfo info, ObjectStore store) {
    List<Integer> hidden =
        MLP.equals(info.architecture())
            ? CheckpointCodec.decode(store.get(info.parametersKey())).mlpHidden()
            : null;
    return new DenseModelFlags(
        "the pretrained model " + info.name() + " (" + info.architecture() + ")",
        info.architecture(),
        hidden);
  }

  /** Whether the model is the mlp of tables. */
  public boolean mlp() {
    return MLP.equals(architecture);
  }

  /**
   * Refuses the flags that do not apply to the model.
   *
   * @throws UsageException naming the first such flag
   */
  public void check(TrainingOptions training) {
    List<String> given = training.denseFlagsGiven();
    if (!mlp() && !given.isEmpty()) {
      throw new UsageException(
          given.get(0) + " applies to the mlp model of tables, not to " + model + "'s image data");
    }
    if (!mlp()) {
      return;
    }
    if (!"none".equalsIgnoreCase(training.augment)) {
      throw new UsageException(
          "--augment " + training.augment + " applies to images: a table's rows are not augmented");
    }
    if (hidden != null && training.hidden != null && !hidden.equals(training.hidden)) {
      throw new UsageException(
          "--hidden "
              + training.hidden
              + ": "
              + model
              + " has hidden layers "
              + hidden
              + ", which the fine-tune keeps; leave --hidden out or give those");
    }
  }

  /**
   * Refuses data of the other kind, where the source shows it before the ingest: a {@code .csv}
   * file or a local folder holding {@code train.csv} is a table, which only the mlp takes; another
   * local folder holds images, which the mlp does not take. An {@code s3://} prefix is left to the
   * ingest.
   *
   * @throws UsageException naming the data and the model
   */
  public void checkData(String source) {
    boolean csv = source.toLowerCase(Locale.ROOT).endsWith(".csv");
    boolean local = !source.startsWith("s3://");
    boolean table = csv || (local && Files.isRegularFile(Path.of(source, "train.csv")));
    if (table && !mlp()) {
      throw new UsageException(
          "--data " + source + " is a table, which the mlp model takes, not " + model);
    }
    if (mlp() && !table && local && Files.isDirectory(Path.of(source))) {
      throw new UsageException(
          "--data " + source + " holds images (no train.csv), which " + model + " does not take");
    }
  }

  /** The parameters with the pretrained mlp's hidden layers (as they are for another model). */
  public TrainingParams fit(TrainingParams params) {
    return hidden == null ? params : params.toBuilder().hidden(hidden).build();
  }

  /**
   * Refuses a sweep's varied flags that do not apply to the model.
   *
   * @throws UsageException naming the first such {@code --vary}
   */
  public void checkVaried(Set<String> varied) {
    for (String flag : varied) {
      if (NAMES.contains(flag) && !mlp()) {
        throw new UsageException(
            "--vary " + flag + ": applies to the mlp model of tables, not to " + model);
      }
      if (mlp() && (flag.equals("augment") || (flag.equals("hidden") && hidden != null))) {
        throw new UsageException(
            "--vary "
                + flag
                + (flag.equals("augment")
                    ? ": a table's rows are not augmented"
                    : ": a fine-tune keeps the hidden layers " + hidden + " of " + model));
      }
    }
  }
}
