package io.tunelab.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.PngEncoder;
import io.tunelab.dataset.ShardCodec;
import io.tunelab.diagnosis.ConfidentLearning;
import io.tunelab.diagnosis.EpochPredictions;
import io.tunelab.diagnosis.OutOfSamplePredictions;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.training.FashionMnist;
import io.tunelab.workflows.model.SampleShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A realistic finished run for the renderer's tests: five Fashion-MNIST classes (one named with
 * markup), a fine-tune arm that overfits after epoch 3 and a scratch arm that diverges in epoch 5,
 * findings of every severity including {@code label-noise}, and the objects the run leaves in the
 * bucket, serialised as the workers store them: validation predictions per arm and epoch,
 * out-of-sample predictions, the training shard (real images) and the augmented preview.
 */
final class ReportFixture {
  static final String RUN = "fixture-run";
  static final String INGEST = "ing-fixture";
  static final String MARKUP_CLASS = "<b>Dress</b> & co";
  static final List<String> CLASSES =
      List.of("T-shirt_top", "Trouser", "Pullover", MARKUP_CLASS, "Coat");
  static final int VAL_PER_CLASS = 30;
  static final int TRAIN_PER_CLASS = 40;
  static final String PREVIEW_KEY =
      Keys.augmentedSamples(INGEST, io.tunelab.workflows.model.Augment.LIGHT, 1);
  static final String REJECTED = "train/Coat/<img src=x onerror=alert(1)>.png";

  /** Epoch 5 of the scratch arm diverged: its validation loss is null, its training loss "NaN". */
  static final int DIVERGED_EPOCH = 5;

  final ObjectNode report = Json.mapper().createObjectNode();
  final Map<String, byte[]> objects = new HashMap<>();

  /** The paths the label-noise finding names, most confident first. */
  final List<String> named = new ArrayList<>();

  ReportFixture() {
    report.put("runId", RUN);
    report.put("kind", "experiment");
    report.put("status", "COMPLETED");
    report.put("phase", "done");
    ObjectNode dataset = report.putObject("dataset");
    dataset.put("ingestId", INGEST);
    ArrayNode classes = dataset.putArray("classes");
    CLASSES.forEach(classes::add);
    dataset.put("shape", "1x28x28");
    ObjectNode splits = dataset.putObject("splits");
    for (String split : List.of("train", "val", "test")) {
      ObjectNode counts = splits.putObject(split);
      CLASSES.forEach(c -> counts.put(c, split.equals("train") ? TRAIN_PER_CLASS : VAL_PER_CLASS));
    }
    ObjectNode rejected = dataset.putArray("rejected").addObject();
    rejected.put("path", REJECTED);
    rejected.put("reason", "not an image: no decoder recognises its bytes");
    dataset.put("duplicatesAcrossSplits", 1);
    ObjectNode pair = dataset.putArray("duplicatePairs").addObject();
    pair.put("first", "train/Coat/00017.png");
    pair.put("firstSplit", "train");
    pair.put("second", "val/Coat/00017 copy.png");
    pair.put("secondSplit", "val");
    pair.put("distance", 0);
    dataset.put("augmentedSamples", PREVIEW_KEY);
    dataset.put("imbalanceRatio", 1.0);

    ObjectNode arms = report.putObject("arms");
    arm(
        arms,
        "finetune",
        new double[] {0.62, 0.74, 0.81, 0.80, 0.79, 0.80},
        new double[] {1.1, 0.7, 0.45, 0.33, 0.24, 0.17},
        new double[] {1e-3, 9e-4, 6.5e-4, 3.5e-4, 1e-4, 1e-5},
        3,
        11);
    arm(
        arms,
        "scratch",
        new double[] {0.35, 0.48, 0.55, 0.59, 0.58, 0.61},
        new double[] {1.5, 1.3, 1.15, 1.0, Double.NaN, 0.95},
        new double[] {1e-2, 1e-2, 1e-2, 1e-2, 1e-2, 1e-3},
        6,
        12);
    ObjectNode comparison = report.putObject("comparison");
    comparison.put("winner", "finetune");
    comparison.put("testAccDelta", 0.193);
    comparison.put("pValue", 3.1e-5);
    comparison.put("finetuneOnlyCorrect", 34);
    comparison.put("scratchOnlyCorrect", 5);

    objects.put(PREVIEW_KEY, preview());
    labelNoise();
    ArrayNode findings = report.putArray("findings");
    finding(
        findings,
        "val-fluctuation",
        "info",
        "finetune",
        "Validation accuracy swings within the noise",
        "swings of 1.0 pp stay inside the ±7.1 pp band of 150 images",
        "Nothing to do.");
    finding(
        findings,
        "overfitting",
        "warning",
        "finetune",
        "Validation loss rises after epoch 3",
        "val loss 0.52 → 0.71 over 3 epochs while train loss fell 0.45 → 0.17",
        "Stop earlier (--early-stopping-patience 2) or augment more (--augment standard).");
    finding(
        findings,
        "label-noise",
        "warning",
        "data",
        "A substantial fraction of training images look mislabelled",
        labelNoiseEvidence(),
        "Review the flagged images and fix or drop the wrong labels.");
    finding(
        findings,
        "lr-too-high",
        "critical",
        "scratch",
        "Scratch loss turned NaN in epoch 5",
        "training loss NaN at epoch 5 <script>alert('x')</script>",
        "Lower --scratch-lr by 10x.");
  }

  /** The report without the comparison, as a run that is still going would have. */
  ObjectNode running() {
    ObjectNode copy = report.deepCopy();
    copy.put("status", "RUNNING");
    copy.putNull("comparison");
    return copy;
  }

  private void arm(
      ObjectNode arms,
      String name,
      double[] valAcc,
      double[] trainLoss,
      double[] lr,
      int best,
      long seed) {
    ObjectNode arm = arms.putObject(name);
    arm.put("status", "COMPLETED");
    ArrayNode epochs = arm.putArray("epochs");
    Random random = new Random(seed);
    for (int e = 1; e <= valAcc.length; e++) {
      ObjectNode row = epochs.addObject();
      row.put("epoch", e);
      boolean diverged = name.equals("scratch") && e == DIVERGED_EPOCH;
      if (diverged) {
        row.put("trainLoss", "NaN");
        row.put("trainAcc", 0.2);
        row.putNull("valLoss");
        row.put("valAcc", 0.2);
      } else {
        EpochPredictions p = predictions(e, valAcc[e - 1], random);
        double mean = 0;
        for (float l : p.loss()) {
          mean += l;
        }
        row.put("trainLoss", trainLoss[e - 1]);
        row.put("trainAcc", Math.min(0.99, valAcc[e - 1] + 0.03 * e));
        row.put("valLoss", mean / p.size());
        row.put("valAcc", accuracy(p));
        objects.put(Keys.validationPredictions(RUN, name, e), Json.bytes(p));
      }
      row.put("lr", lr[e - 1]);
      row.put("seconds", 2.5 + e * 0.1);
    }
    arm.put("bestEpoch", best);
    arm.put("stoppedEarly", false);
    arm.putNull("resumedFromEpoch");
    ObjectNode test = arm.putObject("test");
    test.put("loss", 0.5);
    test.put("acc", valAcc[best - 1]);
    arm.putArray("notes").add("a note with <markup> & an ampersand");
  }

  /** Validation predictions with about {@code acc} right, confident when right. */
  static EpochPredictions predictions(int epoch, double acc, Random random) {
    int n = VAL_PER_CLASS * CLASSES.size();
    int[] labels = new int[n];
    int[] predicted = new int[n];
    float[] confidence = new float[n];
    float[] loss = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % CLASSES.size();
      boolean right = random.nextDouble() < acc;
      predicted[i] =
          right ? labels[i] : (labels[i] + 1 + random.nextInt(CLASSES.size() - 1)) % CLASSES.size();
      double c =
          right ? 0.55 + 0.45 * Math.sqrt(random.nextDouble()) : 0.35 + 0.5 * random.nextDouble();
      confidence[i] = (float) c;
      double pTrue = right ? c : (1 - c) * random.nextDouble();
      loss[i] = (float) -Math.log(Math.max(1e-4, pTrue));
    }
    return new EpochPredictions(epoch, labels, predicted, confidence, loss);
  }

  private static double accuracy(EpochPredictions p) {
    int right = 0;
    for (int i = 0; i < p.size(); i++) {
      right += p.labels()[i] == p.predicted()[i] ? 1 : 0;
    }
    return right / (double) p.size();
  }

  /** Out-of-sample predictions and a training shard of real images, some labels flipped. */
  private void labelNoise() {
    LabeledImages fashion = FashionMnist.train();
    SampleShape shape = fashion.shape();
    int n = TRAIN_PER_CLASS * CLASSES.size();
    byte[] pixels = new byte[n * shape.size()];
    int[] labels = new int[n];
    String[] paths = new String[n];
    float[][] probabilities = new float[n][];
    Random random = new Random(7);
    int[] next = new int[CLASSES.size()];
    for (int i = 0; i < n; i++) {
      int truth = i % CLASSES.size();
      int source = nextOf(fashion, truth, next);
      System.arraycopy(
          fashion.pixels(), source * shape.size(), pixels, i * shape.size(), shape.size());
      boolean flipped = i % 9 == 4;
      int given =
          flipped ? (truth + 1 + random.nextInt(CLASSES.size() - 1)) % CLASSES.size() : truth;
      labels[i] = given;
      paths[i] = String.format(Locale.ROOT, "train/%s/%05d.png", CLASSES.get(given), source);
      float[] p = new float[CLASSES.size()];
      double pt = 0.7 + 0.28 * random.nextDouble();
      for (int j = 0; j < p.length; j++) {
        p[j] = (float) (j == truth ? pt : (1 - pt) / (p.length - 1));
      }
      probabilities[i] = p;
    }
    LabeledImages shard = new LabeledImages(shape, pixels, labels);
    objects.put(Keys.shard(INGEST, "train"), ShardCodec.encode(shard));
    OutOfSamplePredictions oos = new OutOfSamplePredictions(paths, labels, probabilities);
    objects.put(Keys.outOfSample(RUN), Json.bytes(oos));
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, CLASSES.size());
    for (ConfidentLearning.Suspect s : r.suspects().subList(0, Math.min(6, r.suspects().size()))) {
      named.add(paths[s.index()]);
    }
  }

  private String labelNoiseEvidence() {
    OutOfSamplePredictions oos =
        Json.read(objects.get(Keys.outOfSample(RUN)), OutOfSamplePredictions.class);
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, CLASSES.size());
    StringBuilder evidence =
        new StringBuilder(
            r.suspects().size()
                + " of "
                + r.images()
                + " training images look mislabelled; most confident: ");
    for (int i = 0; i < named.size(); i++) {
      ConfidentLearning.Suspect s = r.suspects().get(i);
      evidence
          .append(i == 0 ? "" : ", ")
          .append(named.get(i))
          .append(" (")
          .append(CLASSES.get(s.given()))
          .append(" → ")
          .append(CLASSES.get(s.suspected()))
          .append(
              String.format(
                  Locale.ROOT,
                  ", p %.2f vs %.2f)",
                  s.suspectedProbability(),
                  s.givenProbability()));
    }
    return evidence.toString();
  }

  private static int nextOf(LabeledImages images, int label, int[] next) {
    int i = next[label];
    while (images.label(i) != label) {
      i++;
    }
    next[label] = i + 1;
    return i;
  }

  private static byte[] preview() {
    SampleShape shape = SampleShape.image(1, 28, 140);
    byte[] pixels = new byte[shape.size()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) ((i % 140) * 255 / 140);
    }
    return PngEncoder.encode(pixels, shape);
  }

  private static void finding(
      ArrayNode findings,
      String code,
      String severity,
      String arm,
      String title,
      String evidence,
      String recommendation) {
    ObjectNode f = findings.addObject();
    f.put("code", code);
    f.put("severity", severity);
    f.put("arm", arm);
    f.put("title", title);
    f.put("evidence", evidence);
    f.put("recommendation", recommendation);
  }
}
