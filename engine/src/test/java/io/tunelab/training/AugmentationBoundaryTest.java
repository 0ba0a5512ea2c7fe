package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.evaluation.Evaluation;
import io.tunelab.evaluation.Evaluator;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Augmented images never reach validation or test: the augmenter is given each training image once
 * per epoch and nothing else, the validation figures of an epoch are those of the clean validation
 * images, and evaluation has no way to augment.
 */
@Tag("integration")
class AugmentationBoundaryTest {
  private static final LabeledImages TRAIN = FashionMnist.subset(FashionMnist.train(), 0, 96);
  private static final LabeledImages VAL = FashionMnist.subset(FashionMnist.test(), 0, 64);
  private static final TrainingParams PARAMS = FashionMnist.params("sgd", "none", 5, 32);

  /** An augmenter that records every image it is given and returns a marked (inverted) copy. */
  private static final class Recorder implements Augmenter {
    final List<ByteBuffer> seen = Collections.synchronizedList(new ArrayList<>());
    final boolean mark;

    Recorder(boolean mark) {
      this.mark = mark;
    }

    @Override
    public byte[] apply(byte[] image, SampleShape shape, Random rng) {
      seen.add(ByteBuffer.wrap(image.clone()));
      byte[] out = image.clone();
      if (mark) {
        for (int i = 0; i < out.length; i++) {
          out[i] = (byte) (255 - (out[i] & 0xff));
        }
      }
      return out;
    }
  }

  private static List<ByteBuffer> images(LabeledImages split) {
    List<ByteBuffer> all = new ArrayList<>();
    for (int i = 0; i < split.size(); i++) {
      all.add(ByteBuffer.wrap(split.image(i)));
    }
    return all;
  }

  private static EpochOutcome epoch(int epoch, byte[] previous, Augmenter augmenter) {
    return new EpochTrainer()
        .run(
            new EpochJob(
                "cnn",
                TRAIN.shape(),
                10,
                PARAMS,
                epoch,
                0.05,
                TRAIN,
                VAL,
                previous,
                null,
                augmenter,
                null,
                null),
            null);
  }

  private static LabeledImages inverted(LabeledImages split) {
    byte[] pixels = split.pixels().clone();
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (255 - (pixels[i] & 0xff));
    }
    return new LabeledImages(split.shape(), pixels, split.labels());
  }

  @Test
  void theAugmenterIsGivenEachTrainingImageOncePerEpochAndNoValidationImage() {
    Set<ByteBuffer> valImages = new HashSet<>(images(VAL));
    List<ByteBuffer> trainImages = images(TRAIN);
    trainImages.sort(null);
    assertTrue(Collections.disjoint(trainImages, valImages), "the splits share no image");

    Recorder recorder = new Recorder(true);
    EpochOutcome first = epoch(1, null, recorder);
    List<ByteBuffer> epoch1 = new ArrayList<>(recorder.seen);
    recorder.seen.clear();
    epoch(2, first.checkpoint(), recorder);
    List<ByteBuffer> epoch2 = new ArrayList<>(recorder.seen);

    for (List<ByteBuffer> seen : List.of(epoch1, epoch2)) {
      assertEquals(TRAIN.size(), seen.size(), "one call per training image per epoch");
      seen.sort(null);
      assertEquals(trainImages, seen, "exactly the training images, each once");
      assertTrue(Collections.disjoint(seen, valImages), "never a validation image");
    }
  }

  @Test
  void validationFiguresAreThoseOfTheCleanValidationImages() {
    EpochOutcome marked = epoch(1, null, new Recorder(true));
    EpochMetrics m = marked.metrics();

    Evaluation clean = new Evaluator().evaluate(marked.checkpoint(), VAL, Device.CPU);
    assertEquals(clean.loss(), m.valLoss(), "the epoch's val loss is the clean images' loss");
    assertEquals(clean.acc(), m.valAcc());
    Evaluation ifMarked = new Evaluator().evaluate(marked.checkpoint(), inverted(VAL), Device.CPU);
    assertNotEquals(ifMarked.loss(), m.valLoss(), "marked val images would show in the loss");
  }

  @Test
  void anAugmenterThatChangesNothingLeavesEveryFigureAsWithoutAugmentation() {
    Recorder identity = new Recorder(false);
    EpochOutcome augmented = epoch(1, null, identity);
    EpochOutcome plain = epoch(1, null, Augmenter.NONE);

    assertEquals(TRAIN.size(), identity.seen.size(), "the augmentation path was taken");
    assertEquals(plain.metrics().valLoss(), augmented.metrics().valLoss());
    assertEquals(plain.metrics().valAcc(), augmented.metrics().valAcc());
    assertEquals(plain.metrics().trainLoss(), augmented.metrics().trainLoss());
    Checkpoint a = CheckpointCodec.decode(augmented.checkpoint());
    Checkpoint b = CheckpointCodec.decode(plain.checkpoint());
    for (String name : b.parameters().keySet()) {
      assertArrayEquals(b.parameters().get(name).values(), a.parameters().get(name).values(), name);
    }
  }

  @Test
  void evaluationCannotBeGivenAnAugmenter() {
    for (Method method : Evaluator.class.getMethods()) {
      assertFalse(
          Arrays.stream(method.getParameterTypes()).anyMatch(Augmenter.class::isAssignableFrom),
          "Evaluator." + method.getName() + " takes no augmenter");
    }
    for (Method method : Network.class.getMethods()) {
      if (method.getName().equals("predict")) {
        assertFalse(
            Arrays.stream(method.getParameterTypes()).anyMatch(Augmenter.class::isAssignableFrom),
            "Network.predict takes no augmenter");
      }
    }
  }
}
