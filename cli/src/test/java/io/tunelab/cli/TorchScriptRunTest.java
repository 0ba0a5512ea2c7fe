package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.IdxReader;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedStack;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.Json;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import io.tunelab.worker.TunelabWorker;
import io.tunelab.worker.WorkerSettings;
import io.tunelab.workflows.model.ModelInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --pretrained FILE.pt} end to end: a TorchScript ResNet-18 made by Debian's Python
 * PyTorch, grey Fashion-MNIST PNGs (ingested as 3 x 32 x 32 because the module takes three
 * channels), the embedded Temporal service and S3 server, a worker, both arms and the report.
 */
@Tag("integration")
class TorchScriptRunTest {
  @TempDir static Path home;
  static EmbeddedStack stack;
  static TunelabWorker worker;
  static WorkflowServiceStubs stubs;
  static ObjectStore store;
  static CliHarness cli;
  static Path data;
  static Path model;

  @BeforeAll
  static void startStack() throws Exception {
    model = TorchScriptFile.resnet18(home);
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    stack = EmbeddedStack.start(home, 0, 0, creds, "tunelab");
    store =
        ObjectStore.connect(
            new StoreConfig(
                stack.endpoints().s3Endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(stack.endpoints().temporalTarget())
                .build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    worker = TunelabWorker.start(client, "tunelab", store, WorkerSettings.defaults());
    cli = new CliHarness(home, stack.endpoints().temporalTarget(), stack.endpoints().s3Endpoint());

    Path fashion = EndToEndTest.FASHION;
    LabeledImages train =
        IdxReader.read(
            fashion.resolve("train-images-idx3-ubyte.gz"),
            fashion.resolve("train-labels-idx1-ubyte.gz"));
    data = home.resolve("target");
    // Trouser, Sneaker, Bag and Ankle boot; the run keeps the first three.
    FashionMnistFolders.export(train, new int[] {1, 7, 8, 9}, 40, 3, data);
  }

  @AfterAll
  static void stopStack() {
    if (worker != null) {
      worker.close();
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void fineTunesATorchScriptFileAgainstAScratchBaseline() {
    long t0 = System.nanoTime();
    CliHarness.Result r =
        cli.run(
            "run",
            "--data",
            data.toString(),
            "--pretrained",
            model.toString(),
            "--image-size",
            "32",
            "--classes",
            "Trouser,Sneaker,Bag",
            "--per-class",
            "20",
            "--epochs",
            "1",
            "--optimizer",
            "sgd",
            "--lr",
            "0.01",
            "--batch-size",
            "16",
            "--name",
            "ts-run",
            "--wait",
            "--json");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(0, r.code(), r.err());
    JsonNode report = Json.tree(r.out().getBytes());
    assertEquals("COMPLETED", report.path("status").asText(), r.out());
    assertEquals(3, report.path("dataset").path("classes").size());
    for (String arm : new String[] {"finetune", "scratch"}) {
      JsonNode a = report.path("arms").path(arm);
      assertEquals(1, a.path("epochs").size(), arm);
      double acc = a.path("test").path("acc").asDouble(-1);
      assertTrue(acc >= 0 && acc <= 1, arm + " test acc " + acc);
      assertTrue(store.exists("runs/ts-run/" + arm + "/epoch-0001/checkpoint.bin"), arm);
    }
    assertTrue(report.path("comparison").has("pValue"), r.out());
    System.out.printf(
        "torchscript run, 60 train images, 1 epoch, both arms: %.1f s; finetune"
            + " test acc %.3f, scratch %.3f%n",
        seconds,
        report.path("arms").path("finetune").path("test").path("acc").asDouble(),
        report.path("arms").path("scratch").path("test").path("acc").asDouble());

    // Imported once, content-addressed, registered under a name made of its hash and size.
    String name = r.err().replaceAll("(?s).*as model (pt-[0-9a-f]{12}-32).*", "$1");
    assertTrue(name.matches("pt-[0-9a-f]{12}-32"), r.err());
    ModelInfo info = Json.read(store.get("models/" + name + "/latest.json"), ModelInfo.class);
    assertEquals("torchscript", info.architecture());
    assertEquals("3x32x32", info.shape().toString());
    assertTrue(info.parametersKey().startsWith("models/_torchscript/"), info.parametersKey());
    assertTrue(store.exists(info.parametersKey()));
    ModelInfo again = TorchScriptImport.check(model.toString(), 32).register(store);
    assertEquals(info, again, "importing the same file again changes nothing");
  }
}
