package io.tunelab.cli.options;

import io.tunelab.cli.UsageException;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.SweepConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A sweep's {@code --vary FLAG=V1,V2} flags and the configs they make. Each config is the run the
 * sweep's own run flags describe with the varied values put in, parsed and checked exactly as
 * {@code tunelab run} would parse and check it, so a value {@code run} refuses is refused here with
 * the same words, before anything starts.
 */
public final class SweepAxes {
  /** Flags of video clips: known, but not for image data. */
  private static final Set<String> CLIP_FLAGS = Set.of("clip-frames", "clip-stride", "frame-size");

  private final Map<String, List<String>> vary;
  private final List<String> baseArgs;

  private SweepAxes(Map<String, List<String>> vary, List<String> baseArgs) {
    this.vary = vary;
    this.baseArgs = baseArgs;
  }

  /** The run flags one may vary: the training settings and the arms', less the seed. */
  static Set<String> variable() {
    Set<String> names = new TreeSet<>();
    for (Object options : List.of(new TrainingOptions(), new ArmOptions())) {
      for (OptionSpec o : CommandSpec.forAnnotatedObject(options).options()) {
        names.add(o.longestName().substring(2));
      }
    }
    names.remove("seed");
    names.remove("no-scratch");
    return names;
  }

  /**
   * Reads the {@code --vary} values of a parsed {@code sweep} command whose run flags are the mixin
   * {@code run}.
   *
   * @throws UsageException naming the {@code --vary} that is malformed, repeated, unknown or does
   *     not apply
   */
  public static SweepAxes parse(List<String> varyFlags, ParseResult sweep, RunOptions run) {
    Set<String> runFlags = new LinkedHashSet<>();
    for (OptionSpec o : new CommandLine(new Variant()).getCommandSpec().options()) {
      runFlags.add(o.longestName());
    }
    Set<String> variable = variable();
    Map<String, List<String>> vary = new LinkedHashMap<>();
    for (String v : varyFlags) {
      int eq = v.indexOf('=');
      String flag = eq < 0 ? v : v.substring(0, eq).trim();
      if (flag.startsWith("--")) {
        flag = flag.substring(2);
      }
      if (eq <= 0 || flag.isEmpty()) {
        throw new UsageException("--vary " + v + ": expected FLAG=V1,V2[,...], e.g. lr=1e-3,1e-4");
      }
      List<String> values = new ArrayList<>();
      for (String value : v.substring(eq + 1).split(",", -1)) {
        if (value.isBlank()) {
          throw new UsageException("--vary " + v + ": an empty value");
        }
        if (values.contains(value.trim())) {
          throw new UsageException("--vary " + v + ": " + value.trim() + " is given twice");
        }
        values.add(value.trim());
      }
      if (vary.containsKey(flag)) {
        throw new UsageException("--vary " + flag + " is given twice; list its values in one");
      }
      requireVariable(flag, variable, runFlags, run);
      vary.put(flag, values);
    }
    if (vary.isEmpty()) {
      throw new UsageException("--vary: give at least one FLAG=V1,V2[,...]");
    }
    return new SweepAxes(vary, baseArgs(sweep, runFlags));
  }

  /**
   * Whether {@code flag} may be varied. The mlp's {@code dropout}, {@code l2} and {@code hidden}
   * are training settings like any other, refused for an image model once the pretrained model is
   * known ({@link DenseModelFlags#checkVaried}); a table's {@code label} and {@code ignore-columns}
   * are data flags, which a sweep keeps one.
   */
  private static void requireVariable(
      String flag, Set<String> variable, Set<String> runFlags, RunOptions run) {
    if (variable.contains(flag)) {
      if (flag.equals("scratch-lr") && !run.arms.scratch()) {
        throw new UsageException("--vary scratch-lr: there is no scratch arm (--no-scratch)");
      }
      return;
    }
    String varies = "a sweep varies one of " + String.join(", ", variable);
    if (flag.equals("seed")) {
      throw new UsageException(
          "--vary seed: give --seeds N instead (the seeds --seed to --seed+N-1, for every config)");
    }
    if (CLIP_FLAGS.contains(flag)) {
      throw new UsageException(
          "--vary " + flag + ": applies to video clips (model c3d), not to image data; " + varies);
    }
    if (runFlags.contains("--" + flag)) {
      throw new UsageException(
          "--vary " + flag + ": not a training setting (the data and model stay one); " + varies);
    }
    throw new UsageException("--vary " + flag + ": unknown flag; " + varies);
  }

  /** The sweep's own run flags as {@code run} would take them, without the sweep's. */
  private static List<String> baseArgs(ParseResult sweep, Set<String> runFlags) {
    List<String> args = new ArrayList<>();
    for (OptionSpec o : sweep.matchedOptions()) {
      if (!runFlags.contains(o.longestName())) {
        continue;
      }
      if (o.arity().max() == 0) {
        args.add(o.longestName());
      } else {
        for (String value : o.originalStringValues()) {
          args.add(o.longestName() + "=" + value);
        }
      }
    }
    return args;
  }

  /** The varied flags and their values, in the order given. */
  public Map<String, List<String>> vary() {
    return vary;
  }

  /**
   * The configs: the cartesian product of the varied values in the order given (the last flag
   * varies fastest), numbered from 1, each checked as {@code run} checks its flags.
   */
  public List<SweepConfig> configs(String sweepId) {
    for (Map.Entry<String, List<String>> e : vary.entrySet()) {
      for (String value : e.getValue()) {
        experiment(sweepId, Map.of(e.getKey(), value)); // names the one value run refuses
      }
    }
    List<Map<String, String>> product = new ArrayList<>();
    product.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> e : vary.entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : product) {
        for (String value : e.getValue()) {
          Map<String, String> values = new LinkedHashMap<>(partial);
          values.put(e.getKey(), value);
          next.add(values);
        }
      }
      product = next;
    }
    List<SweepConfig> configs = new ArrayList<>();
    for (Map<String, String> values : product) {
      ExperimentSpec experiment = experiment(sweepId, values);
      configs.add(
          new SweepConfig(
              configs.size() + 1, values, experiment.finetune(), experiment.scratchLearningRate()));
    }
    return configs;
  }

  /** The experiment of the run flags with {@code values} put in; a usage error naming them. */
  private ExperimentSpec experiment(String sweepId, Map<String, String> values) {
    List<String> args = new ArrayList<>();
    for (String arg : baseArgs) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (!values.containsKey(name.substring(2))) {
        args.add(arg); // a varied flag given as a run flag too takes the varied values
      }
    }
    StringBuilder named = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      named
          .append(named.length() == 0 ? "" : " ")
          .append(e.getKey())
          .append('=')
          .append(e.getValue());
      args.addAll(flag(e.getKey(), e.getValue()));
    }
    Variant variant = new Variant();
    try {
      new CommandLine(variant)
          .setOverwrittenOptionsAllowed(true)
          .parseArgs(args.toArray(String[]::new));
      return variant.run.experiment(sweepId);
    } catch (CommandLine.ParameterException | UsageException | IllegalArgumentException e) {
      throw new UsageException("--vary " + named + ": " + e.getMessage());
    }
  }

  /** A varied value as run flags: {@code --lr=0.01}; a switch is {@code true} or {@code false}. */
  private static List<String> flag(String flag, String value) {
    OptionSpec o = new CommandLine(new Variant()).getCommandSpec().findOption("--" + flag);
    if (o.arity().max() > 0) {
      return List.of("--" + flag + "=" + value);
    }
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> List.of("--" + flag);
      case "false" -> List.of();
      default ->
          throw new UsageException(
              "--vary " + flag + "=" + value + ": a switch takes true or false");
    };
  }

  /** A run's flags alone, to parse a config's. */
  @Command(name = "run")
  static final class Variant {
    @Mixin RunOptions run;
  }
}
