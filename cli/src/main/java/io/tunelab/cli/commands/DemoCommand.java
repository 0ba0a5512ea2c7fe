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
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RunState;
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
 * {@code tunelab demo}: the whole story in one process on Fashion-MNIST — pretrain on classes 0–4,
 * then fine-tune against scratch on classes 5–9 with a small per-class budget.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Pretrains on Fashion-MNIST classes 0-4, then fine-tunes vs scratch on classes 5-9, "
            + "all on an embedded stack in this process.")
public final class DemoCommand implements Callable<Integer> {
  static final String DEFAULT_DATA = "/usr/share/datasets/fashion-mnist";

  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = DEFAULT_DATA,
      description = "Folder with Fashion-MNIST's idx files (default: ${DEFAULT-VALUE}).")
  Path data;

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
      names = "--pretrain-epochs",
      paramLabel = "N",
      defaultValue = "4",
      description = "Pretraining epochs (default: ${DEFAULT-VALUE}).")
  int pretrainEpochs;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      defaultValue = "5",
      description = "Fine-tune and scratch epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "7",
      description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

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
    Path folders = home.resolve("data");
    err.println("preparing Fashion-MNIST folders under " + folders);
    LabeledImages train = IdxReader.read(images, labels);
    int targetPerClass = (int) Math.ceil(perClass / 0.7) + 1;
    Path source = folders.resolve("source-0-4-" + sourcePerClass);
    Path target = folders.resolve("target-5-9-" + targetPerClass);
    FashionMnistFolders.export(train, new int[] {0, 1, 2, 3, 4}, sourcePerClass, seed, source);
    FashionMnistFolders.export(train, new int[] {5, 6, 7, 8, 9}, targetPerClass, seed + 1, target);

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
              WorkerSettings.defaults()));
      Launcher launcher = new Launcher(services);
      ProgressView view = new ProgressView(err, System.console() != null);

      String modelName = "fashion-0-4";
      TrainingParams pretrainParams =
          TrainingParams.builder()
              .epochs(pretrainEpochs)
              .batchSize(64)
              .learningRate(0.001)
              .seed(seed)
              .build();
      PretrainSpec pretrain =
          new PretrainSpec(
              Launcher.newRunId("demo-pretrain"),
              source.toString(),
              List.of(),
              0,
              modelName,
              "cnn",
              28,
              pretrainParams,
              null,
              null);
      err.println("pretraining a CNN on classes 0-4 (" + sourcePerClass + " images per class)");
      launcher.startPretrain(pretrain);
      RunState pretrained = launcher.await(pretrain.runId(), view);

      TrainingParams params =
          TrainingParams.builder()
              .epochs(epochs)
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
      err.println(
          "fine-tuning vs scratch on classes 5-9 (" + perClass + " training images per class)");
      launcher.startExperiment(experiment);
      RunState run =
          launcher.await(experiment.runId(), new ProgressView(err, System.console() != null));

      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          Locale.ROOT,
          "pretrained %s: test acc %.4f on classes 0-4%n",
          modelName,
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
}
