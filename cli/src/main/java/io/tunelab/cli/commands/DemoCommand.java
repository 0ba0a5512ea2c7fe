package io.tunelab.cli.commands;

import io.tunelab.cli.CliSupport;
import io.tunelab.cli.Foreground;
import io.tunelab.cli.Launcher;
import io.tunelab.cli.ProgressView;
import io.tunelab.cli.Services;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.IdxReader;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.SyntheticClips;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.ClipStacks;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.Schedule;
import io.tunelab.workflows.model.TrainingParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tunelab demo}: the whole story in one process. On Fashion-MNIST: pretrain on classes 0–4,
 * then fine-tune against scratch on classes 5–9 with a small per-class budget. With {@code --clips}
 * the C3D story on generated action clips: a {@code c3d} pretrained on six motions, fine-tuned
 * against scratch on five (three shared, two new) with the same step schedule in both phases.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Pretrains on Fashion-MNIST classes 0-4, then fine-tunes vs scratch on classes 5-9, "
            + "all on an embedded stack in this process. With --clips: the C3D story on "
            + "generated action clips.")
public final class DemoCommand implements Callable<Integer> {
  static final String DEFAULT_DATA = "/usr/share/datasets/fashion-mnist";

  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = DEFAULT_DATA,
      description =
          "Folder with Fashion-MNIST's idx files; --clips draws its garments from them "
              + "(default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--clips",
      description =
          "Tell the C3D story: a c3d network pretrained on generated clips of six motions is "
              + "fine-tuned against scratch on five, at lr 0.005 divided by 10 after epochs 4 and "
              + "8 in both phases.")
  boolean clips;

  @Option(
      names = "--per-class",
      paramLabel = "N",
      defaultValue = "300",
      description = "Training images per target class (default: ${DEFAULT-VALUE}).")
  int perClass;

  @Option(
      names = "--source-per-class",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Images per source class for pretraining (default: ${DEFAULT-VALUE}).")
  int sourcePerClass;

  @Option(
      names = "--videos-per-class",
      paramLabel = "N",
      defaultValue = "24",
      description =
          "With --clips: videos per target motion; the source has three times as many "
              + "(default: ${DEFAULT-VALUE}).")
  int videosPerClass;

  @Option(
      names = "--pretrain-epochs",
      paramLabel = "N",
      description = "Pretraining epochs (default: 4; with --clips 12).")
  Integer pretrainEpochs;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Fine-tune and scratch epochs (default: 5; with --clips 12).")
  Integer epochs;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "7",
      description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  /** What a story runs: a pretraining, then an experiment on its model, each announced. */
  private record Story(
      PretrainSpec pretrain, String pretrainLine, ExperimentSpec experiment, String runLine) {}

  @Override
  public Integer call() throws IOException {
    Path images = data.resolve("train-images-idx3-ubyte.gz");
    Path labels = data.resolve("train-labels-idx1-ubyte.gz");
    if (!Files.isReadable(images) || !Files.isReadable(labels)) {
      throw new UsageException(
          "Fashion-MNIST not found in "
              + data
              + " (need train-images-idx3-ubyte.gz "
              + "and train-labels-idx1-ubyte.gz): install it with 'sudo apt-get install dataset-fashion-mnist' "
              + "or pass --data DIR");
    }
    PrintWriter err = spec.commandLine().getErr();
    Path home = connection.home.resolve("demo");
    Story story = clips ? clipStory(home.resolve("data"), err) : fashionStory(home, err);

    Foreground resources = new Foreground();
    try {
      S3Credentials creds =
          CredentialStore.resolve(home, connection.envAccessKey(), connection.envSecretKey());
      EmbeddedStack stack =
          resources.add(EmbeddedStack.start(home, 0, 0, creds, connection.bucket));
      connection.home = home;
      connection.temporalTarget = stack.endpoints().temporalTarget();
      connection.s3Endpoint = stack.endpoints().s3Endpoint();
      err.println(
          "embedded stack: Temporal "
              + connection.temporalTarget
              + ", S3 "
              + connection.s3Endpoint);
      Services services = resources.add(new Services(connection));
      resources.add(
          TunelabWorker.start(
              services.temporal(),
              connection.taskQueue,
              services.store(),
              // the only worker here: it trains --device gpu runs too (on its CPU if no GPU)
              WorkerSettings.defaults().training(WorkerSettings.Training.EVERY)));
      Launcher launcher = new Launcher(services);

      err.println(story.pretrainLine());
      launcher.startPretrain(story.pretrain());
      RunState pretrained =
          launcher.await(story.pretrain().runId(), new ProgressView(err, System.console() != null));

      err.println(story.runLine());
      launcher.startExperiment(story.experiment());
      RunState run =
          launcher.await(
              story.experiment().runId(), new ProgressView(err, System.console() != null));

      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          Locale.ROOT,
          "pretrained %s: test acc %.4f on its source classes%n",
          story.pretrain().name(),
          pretrained.registered().testAccuracy());
      CliSupport.printResult(run, false, services, out);
      out.printf(
          Locale.ROOT,
          "fine-tune test accuracy %.4f, scratch test accuracy %.4f%n",
          run.arms().get("finetune").test().acc(),
          run.arms().get("scratch").test().acc());
      out.println(
          "report JSON: "
              + home.resolve(EmbeddedStack.OBJECTS_DIR)
                  .resolve(connection.bucket)
                  .resolve(run.reportKey()));
      out.flush();
      return 0;
    } finally {
      resources.closeAll();
    }
  }

  /** Fashion-MNIST: a CNN pretrained on classes 0–4 fine-tuned on 5–9 with few images. */
  private Story fashionStory(Path home, PrintWriter err) throws IOException {
    Path folders = home.resolve("data");
    err.println("preparing Fashion-MNIST folders under " + folders);
    LabeledImages train =
        IdxReader.read(
            data.resolve("train-images-idx3-ubyte.gz"), data.resolve("train-labels-idx1-ubyte.gz"));
    int targetPerClass = (int) Math.ceil(perClass / 0.7) + 1;
    Path source = folders.resolve("source-0-4-" + sourcePerClass);
    Path target = folders.resolve("target-5-9-" + targetPerClass);
    FashionMnistFolders.export(train, new int[] {0, 1, 2, 3, 4}, sourcePerClass, seed, source);
    FashionMnistFolders.export(train, new int[] {5, 6, 7, 8, 9}, targetPerClass, seed + 1, target);

    String modelName = "fashion-0-4";
    TrainingParams pretrainParams =
        TrainingParams.builder()
            .epochs(pretrainEpochs == null ? 4 : pretrainEpochs)
            .batchSize(64)
            .learningRate(0.001)
            .seed(seed)
            .build();
    PretrainSpec pretrain = pretrain(source, modelName, "cnn", 28, pretrainParams, null);
    TrainingParams params =
        TrainingParams.builder()
            .epochs(epochs == null ? 5 : epochs)
            .batchSize(32)
            .learningRate(0.001)
            .augment(Augment.LIGHT)
            .seed(seed)
            .build();
    ExperimentSpec experiment =
        ExperimentSpec.builder()
            .runId(Launcher.newRunId("demo-run"))
            .source(target.toString())
            .perClass(perClass)
            .pretrained(modelName)
            .finetune(params)
            .scratchLearningRate(0.001)
            .datasetName("fashion-mnist-5-9")
            .build();
    return new Story(
        pretrain,
        "pretraining a CNN on classes 0-4 (" + sourcePerClass + " images per class)",
        experiment,
        "fine-tuning vs scratch on classes 5-9 (" + perClass + " training images per class)");
  }

  /**
   * The C3D story, small: MP4s of a garment moving, growing or shrinking (source) and of three of
   * those motions plus two turns (target, garments the source never showed), 16-frame stacks of
   * 32-pixel frames; SGD at lr 0.005 divided by 10 after epochs 4 and 8 in both phases, as in the
   * story of a fine-tune that restarts a converged model's schedule at its first rate.
   */
  private Story clipStory(Path folders, PrintWriter err) throws IOException {
    Path source = folders.resolve("clips-source-" + 3 * videosPerClass);
    Path target = folders.resolve("clips-target-" + videosPerClass);
    err.println("generating action clips (MP4) under " + folders);
    if (!Files.isDirectory(source)) {
      SyntheticClips.fashionMnist(data, true)
          .write(
              new SyntheticClips.Spec(SyntheticClips.SOURCE, 3 * videosPerClass, 32, 32, seed),
              SyntheticClips.Format.MP4,
              source);
    }
    if (!Files.isDirectory(target)) {
      SyntheticClips.fashionMnist(data, false)
          .write(
              new SyntheticClips.Spec(SyntheticClips.TARGET, videosPerClass, 32, 32, seed + 1),
              SyntheticClips.Format.MP4,
              target);
    }
    String modelName = "motions-6";
    ClipStacks stacks = new ClipStacks(16, 16, 32);
    TrainingParams.Builder schedule =
        TrainingParams.builder()
            .batchSize(16)
            .optimizer(Optimizer.SGD)
            .learningRate(0.005)
            .schedule(Schedule.STEP)
            .milestones(List.of(4, 8))
            .gamma(0.1)
            .seed(seed);
    PretrainSpec pretrain =
        pretrain(
            source,
            modelName,
            "c3d",
            32,
            schedule.epochs(pretrainEpochs == null ? 12 : pretrainEpochs).build(),
            stacks);
    ExperimentSpec experiment =
        ExperimentSpec.builder()
            .runId(Launcher.newRunId("demo-clips"))
            .source(target.toString())
            .pretrained(modelName)
            .finetune(schedule.epochs(epochs == null ? 12 : epochs).build())
            .scratchLearningRate(0.005)
            .datasetName("motions-5")
            .clips(stacks)
            .build();
    return new Story(
        pretrain,
        "pretraining c3d on "
            + SyntheticClips.SOURCE.size()
            + " motions ("
            + 3 * videosPerClass
            + " videos each), SGD at lr 0.005 divided by 10 after epochs 4 and 8",
        experiment,
        "fine-tuning vs scratch on "
            + SyntheticClips.TARGET.size()
            + " motions, two of them new ("
            + videosPerClass
            + " videos each), with the same schedule");
  }

  /** The pretraining of a story: every class of {@code source}, registered as {@code name}. */
  private static PretrainSpec pretrain(
      Path source, String name, String model, int size, TrainingParams params, ClipStacks clips) {
    return new PretrainSpec(
        Launcher.newRunId("demo-pretrain"),
        source.toString(),
        List.of(),
        0,
        name,
        model,
        size,
        params,
        null,
        clips);
  }
}
