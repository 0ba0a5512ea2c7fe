package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.evaluation.Evaluation;
import io.tunelab.evaluation.Evaluator;
import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.table.FeatureScaler;
import io.tunelab.table.TableRows;
import io.tunelab.table.TableRowsCodec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The mlp on a generated table stored as the ingest stores it (rows by {@link TableRowsCodec}, the
 * training split's {@link FeatureScaler}): it learns the rule, L2 and dropout act, a fine-tune
 * keeps the pretrained hidden layers under a new output layer (or, with {@code --head reuse}, the
 * units of the classes both tables have), freezing keeps them bit-identical, and an epoch resumed
 * from a checkpoint or the live model is bit-identical.
 */
@Tag("integration")
class MlpTrainingTest {
  private static final int FEATURES = 10;
  private static final LabeledImages[] TARGET = splits(GeneratedTable.rows(600, FEATURES, 2, 1));
  private static final LabeledImages TRAIN = TARGET[0];
  private static final LabeledImages VAL = TARGET[1];
  private static final LabeledImages TEST = TARGET[2];

  /** Train, val and test of a table written to a bucket and read back as the training reads it. */
  private static LabeledImages[] splits(TableRows all) {
    InMemoryObjectStore store = new InMemoryObjectStore();
    String ingest = "t" + all.size();
    TableRows train = slice(all, 0, all.size() / 2);
    store.put(Keys.scaler(ingest), Json.bytes(FeatureScaler.fit(train)), "application/json");
    String[] names = {"train", "val", "test"};
    TableRows[] parts = {
      train,
      slice(all, all.size() / 2, all.size() * 3 / 4),
      slice(all, all.size() * 3 / 4, all.size())
    };
    for (int s = 0; s < 3; s++) {
      store.put(Keys.shard(ingest, names[s]), TableRowsCodec.encode(parts[s]));
    }
    DatasetRef data =
        new DatasetRef(
            ingest,
            "manifest",
            "profile",
            Map.of(
                "train", Keys.shard(ingest, "train"),
                "val", Keys.shard(ingest, "val"),
                "test", Keys.shard(ingest, "test")),
            List.of("a", "b", "c").subList(0, 1 + max(all.labels())),
            SampleShape.table(all.features()),
            Map.of(),
            0,
            0,
            null);
    ShardCache shards = new ShardCache(store, 8);
    LabeledImages[] out = new LabeledImages[3];
    for (int s = 0; s < 3; s++) {
      out[s] = TrainingSplits.read(store, shards, data, names[s]);
    }
    return out;
  }

  private static TableRows slice(TableRows rows, int from, int to) {
    int f = rows.features();
    return new TableRows(
        rows.featureNames(),
        java.util.Arrays.copyOfRange(rows.values(), from * f, to * f),
        java.util.Arrays.copyOfRange(rows.labels(), from, to),
        rows.origins().subList(from, to));
  }

  private static int max(int[] values) {
    return java.util.Arrays.stream(values).max().orElseThrow();
  }

  private static TrainingParams.Builder params() {
    return TrainingParams.builder()
        .epochs(5)
        .batchSize(32)
        .learningRate(0.01)
        .optimizer(Optimizer.ADAM)
        .seed(3)
        .device(Device.CPU)
        .hidden(List.of(32, 16));
  }

  private static EpochJob job(
      TrainingParams params,
      int epoch,
      LabeledImages train,
      LabeledImages val,
      int classes,
      byte[] previous,
      byte[] pretrained) {
    return new EpochJob(
        "mlp",
        train.shape(),
        classes,
        params,
        epoch,
        params.learningRate(),
        train,
        val,
        previous,
        pretrained,
        null,
        null,
        null);
  }

  /** The checkpoints of {@code epochs} epochs on the target table, each from the one before. */
  private static byte[][] train(TrainingParams params, int epochs, byte[] pretrained) {
    EpochTrainer trainer = new EpochTrainer();
    byte[][] checkpoints = new byte[epochs + 1][];
    for (int epoch = 1; epoch <= epochs; epoch++) {
      EpochOutcome outcome =
          trainer.run(
              job(
                  params,
                  epoch,
                  TRAIN,
                  VAL,
                  2,
                  checkpoints[epoch - 1],
                  epoch == 1 ? pretrained : null),
              null);
      assertFalse(outcome.diverged(), "epoch " + epoch);
      checkpoints[epoch] = outcome.checkpoint();
    }
    return checkpoints;
  }

  private static Checkpoint decoded(byte[] bytes) {
    return CheckpointCodec.decode(bytes);
  }

  private static double squaredWeights(Checkpoint c) {
    double sum = 0;
    for (Map.Entry<String, Checkpoint.Tensor> e : c.parameters().entrySet()) {
      if (e.getKey().endsWith("_weight")) {
        for (float v : e.getValue().values()) {
          sum += (double) v * v;
        }
      }
    }
    return sum;
  }

  @Test
  void itLearnsTheRuleAndEvaluatesTheTestSplit() {
    byte[][] checkpoints = train(params().build(), 5, null);
    Checkpoint last = decoded(checkpoints[5]);
    assertEquals(SampleShape.table(FEATURES), last.shape());
    assertEquals(List.of(32, 16), Mlp.hidden(last.parameters()));
    assertTrue(last.metrics().valAcc() > 0.85, "val acc " + last.metrics().valAcc());
    Evaluation test = new Evaluator().evaluate(checkpoints[5], TEST, Device.CPU);
    assertTrue(test.acc() > 0.85, "test acc " + test.acc());
    assertEquals(TEST.size(), test.predicted().length);
  }

  @Test
  void l2LowersTheWeightsNormAndIsPartOfTheTrainLoss() {
    Checkpoint plain = decoded(train(params().build(), 3, null)[3]);
    Checkpoint l2 = decoded(train(params().l2(0.01).build(), 3, null)[3]);
    assertTrue(
        squaredWeights(l2) < 0.8 * squaredWeights(plain),
        squaredWeights(l2) + " vs " + squaredWeights(plain));
    // The reported train loss holds the penalty (as Keras reports it); the val loss does not.
    Checkpoint heavy = decoded(train(params().l2(1).build(), 1, null)[1]);
    Checkpoint none = decoded(train(params().build(), 1, null)[1]);
    assertTrue(
        heavy.metrics().trainLoss() > none.metrics().trainLoss() + 1,
        heavy.metrics() + " vs " + none.metrics());
    assertTrue(heavy.metrics().valLoss() < 1.5, "plain cross-entropy: " + heavy.metrics());
  }

  @Test
  void dropoutChangesTrainingDeterministically() {
    Checkpoint plain = decoded(train(params().build(), 2, null)[2]);
    Checkpoint dropped = decoded(train(params().dropout(0.5).build(), 2, null)[2]);
    Checkpoint again = decoded(train(params().dropout(0.5).build(), 2, null)[2]);
    assertNotEquals(plain.metrics().trainLoss(), dropped.metrics().trainLoss());
    assertEquals(dropped.metrics().trainLoss(), again.metrics().trainLoss(), 0.0);
    assertEquals(plain.parameters().keySet(), dropped.parameters().keySet(), "dropout has none");
  }

  @Test
  void aFineTuneKeepsThePretrainedHiddenLayersUnderANewOutputLayer() {
    // The source: three classes of another rule on another table with the same features.
    LabeledImages[] source = splits(GeneratedTable.rows(400, FEATURES, 3, 7));
    TrainingParams sourceParams = params().build();
    EpochOutcome pretrained =
        new EpochTrainer().run(job(sourceParams, 1, source[0], source[1], 3, null, null), null);
    Checkpoint src = decoded(pretrained.checkpoint());

    Checkpoint frozen =
        decoded(train(params().freeze(Freeze.BACKBONE).build(), 1, pretrained.checkpoint())[1]);
    Checkpoint tuned = decoded(train(params().build(), 1, pretrained.checkpoint())[1]);
    for (Map.Entry<String, Checkpoint.Tensor> e : src.parameters().entrySet()) {
      Checkpoint.Tensor kept = frozen.parameters().get(e.getKey());
      if (e.getKey().startsWith("01Backbone_")) {
        assertArrayEquals(e.getValue().values(), kept.values(), "frozen " + e.getKey());
        assertFalse(
            java.util.Arrays.equals(
                e.getValue().values(), tuned.parameters().get(e.getKey()).values()),
            "fine-tuned " + e.getKey() + " moves");
      } else {
        assertEquals(3, e.getValue().shape()[0], "the source head " + e.getKey());
        assertEquals(2, kept.shape()[0], "a new head for the target's classes: " + e.getKey());
      }
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> train(params().hidden(List.of(64)).build(), 1, pretrained.checkpoint()),
        "other hidden layers than the pretrained model's are refused");
  }

  /**
   * {@code --head reuse}: the target's class "yes" is also the source's second class, so its output
   * unit starts as that class's unit; "no" is not a source class and starts new, as with {@code
   * --head new}. At epoch 0 (the network as the trainer starts it) exactly; after one epoch at a
   * tiny rate, still within what the rate allows.
   */
  @Test
  void headReuseStartsTheUnitsOfSharedClassesFromThePretrainedOutputLayer() throws Exception {
    LabeledImages[] source = splits(GeneratedTable.rows(300, FEATURES, 3, 7));
    byte[] pretrained =
        new EpochTrainer()
            .run(job(params().build(), 1, source[0], source[1], 3, null, null), null)
            .checkpoint();
    Checkpoint src = decoded(pretrained);
    HeadReuse reuse = HeadReuse.of(List.of("no", "yes"), List.of("x", "yes", "z"));
    assertArrayEquals(new int[] {-1, 1}, reuse.sourceUnits());
    assertEquals(1, reuse.reused());

    // Epoch 0: initialised as the trainer initialises, the pretrained backbone loaded, then reuse.
    TrainingParams params = params().optimizer(Optimizer.SGD).learningRate(1e-6).build();
    Network network = Network.build("mlp", TRAIN.shape(), 2, params);
    List<String> output = network.outputLayerParameterNames();
    assertEquals(
        List.of("02SequentialBlock_01Linear_weight", "02SequentialBlock_01Linear_bias"), output);
    try (ai.djl.Model model = ai.djl.Model.newInstance("head-reuse")) {
      model.setBlock(network.block());
      ai.djl.engine.Engine.getInstance().setRandomSeed(Seeds.initSeed(params.seed()));
      network
          .block()
          .initialize(
              model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, network.batchShape(1));
      Map<String, Checkpoint.Tensor> fresh = network.snapshot();
      network.load(src.parameters(), true);
      reuse.apply(network, src.parameters());
      Map<String, Checkpoint.Tensor> start = network.snapshot();
      for (String name : output) {
        int width = fresh.get(name).values().length / 2;
        float[] startValues = start.get(name).values();
        assertArrayEquals(
            java.util.Arrays.copyOfRange(src.parameters().get(name).values(), width, 2 * width),
            java.util.Arrays.copyOfRange(startValues, width, 2 * width),
            "'yes' starts as the pretrained 'yes': " + name);
        assertArrayEquals(
            java.util.Arrays.copyOfRange(fresh.get(name).values(), 0, width),
            java.util.Arrays.copyOfRange(startValues, 0, width),
            "'no' starts new: " + name);
      }
    }

    // Through the trainer: one epoch at a rate too small to move a unit by 1e-3.
    Checkpoint reused = decoded(train(params, reuse, pretrained));
    Checkpoint renewed = decoded(train(params, null, pretrained));
    for (String name : output) {
      float[] pre = src.parameters().get(name).values();
      float[] withReuse = reused.parameters().get(name).values();
      float[] withNew = renewed.parameters().get(name).values();
      int width = withReuse.length / 2;
      for (int i = 0; i < width; i++) {
        assertEquals(pre[width + i], withReuse[width + i], 1e-3, name + " 'yes' reused");
        assertEquals(withNew[i], withReuse[i], 1e-3, name + " 'no' as a new head's");
      }
      double apart = 0;
      for (int i = 0; i < width; i++) {
        apart = Math.max(apart, Math.abs(pre[width + i] - withNew[width + i]));
      }
      assertTrue(apart > 1e-2, name + ": a new head's 'yes' is not the pretrained one: " + apart);
    }
  }

  /** One epoch on the target table from {@code pretrained}, its output units as {@code reuse}. */
  private static byte[] train(TrainingParams params, HeadReuse reuse, byte[] pretrained) {
    EpochJob job =
        new EpochJob(
            "mlp",
            TRAIN.shape(),
            2,
            params,
            1,
            params.learningRate(),
            TRAIN,
            VAL,
            null,
            pretrained,
            null,
            null,
            reuse);
    return new EpochTrainer().run(job, null).checkpoint();
  }

  @Test
  void theProbesRunOnATableFromAPretrainedMlp() {
    TrainingParams params = params().hidden(List.of(8)).epochs(2).build();
    byte[] pretrained =
        new EpochTrainer().run(job(params, 1, TRAIN, VAL, 2, null, null), null).checkpoint();
    Probes probes = new Probes(new EpochTrainer());
    Probes.Job job = new Probes.Job("mlp", TRAIN.shape(), 2, params, TRAIN, VAL, pretrained);
    assertTrue(probes.lrRange(job, 1e-4, 1, 6, null).size() >= 2);
    io.tunelab.diagnosis.ProbeResults.FeatureProbe fp = probes.linearProbe(job, null);
    assertTrue(fp.valAcc() > 0.5, fp.toString());
    Probes.HeldOut heldOut = probes.outOfSample(job, 3, 1, null);
    assertEquals(TRAIN.size(), heldOut.probabilities().length);
    Checkpoint tuned = decoded(train(params, 1, pretrained)[1]);
    double source =
        probes.sourceAccuracy(pretrained, CheckpointCodec.encode(tuned), TEST, Device.CPU);
    assertTrue(source > 0.5, "source accuracy " + source);
  }

  @Test
  void gradualUnfreezingTrainsTheLastHiddenLayerInEpochTwo() {
    EpochOutcome source =
        new EpochTrainer().run(job(params().build(), 1, TRAIN, VAL, 2, null, null), null);
    byte[][] gradual = train(params().freeze(Freeze.GRADUAL).build(), 2, source.checkpoint());
    Checkpoint before = decoded(gradual[1]);
    Checkpoint after = decoded(gradual[2]);
    for (String name : before.parameters().keySet()) {
      boolean same =
          java.util.Arrays.equals(
              before.parameters().get(name).values(), after.parameters().get(name).values());
      boolean firstHidden = name.startsWith("01Backbone_01");
      assertEquals(firstHidden, same, name + (firstHidden ? " stays frozen" : " trains"));
    }
  }

  @Test
  void anEpochResumedFromItsCheckpointOrTheLiveModelIsBitIdentical() {
    TrainingParams params = params().dropout(0.3).l2(0.001).build();
    byte[][] straight = train(params, 3, null);
    EpochTrainer trainer = new EpochTrainer();
    // A killed worker's retry: epoch 3 again from the stored checkpoint of epoch 2, after the
    // codec's round trip.
    byte[] stored = CheckpointCodec.encode(decoded(straight[2]));
    byte[] resumed = trainer.run(job(params, 3, TRAIN, VAL, 2, stored, null), null).checkpoint();
    assertSameModel(decoded(straight[3]), decoded(resumed));
    // The live model of epoch 2 continuing into epoch 3.
    EpochOutcome two =
        trainer.run(job(params, 2, TRAIN, VAL, 2, straight[1], null), null, null, null, null, true);
    try (LiveModel live = two.live()) {
      EpochOutcome three =
          trainer.run(job(params, 3, TRAIN, VAL, 2, null, null), null, null, null, live, false);
      assertSameModel(decoded(straight[3]), decoded(three.checkpoint()));
    }
  }

  private static void assertSameModel(Checkpoint a, Checkpoint b) {
    assertEquals(a.metrics().trainLoss(), b.metrics().trainLoss(), 0.0);
    assertEquals(a.metrics().valLoss(), b.metrics().valLoss(), 0.0);
    for (Map.Entry<String, Checkpoint.Tensor> e : a.parameters().entrySet()) {
      assertArrayEquals(e.getValue().values(), b.parameters().get(e.getKey()).values(), e.getKey());
    }
    for (Map.Entry<String, Checkpoint.Slot> e : a.optimizerState().slots().entrySet()) {
      Checkpoint.Slot other = b.optimizerState().slots().get(e.getKey());
      assertEquals(e.getValue().steps(), other.steps(), e.getKey());
      for (int i = 0; i < e.getValue().buffers().size(); i++) {
        assertArrayEquals(
            e.getValue().buffers().get(i).values(), other.buffers().get(i).values(), e.getKey());
      }
    }
  }
}
