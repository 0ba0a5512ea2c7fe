package io.tunelab.bench;

import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A real image dataset of {@link DiagnosisHarness} and how big its cases are: each dataset gets its
 * own source model (classes 0–4) and its own healthy sizes, since scikit-learn's digits has about
 * 180 images per class where Fashion-MNIST has 6,000.
 *
 * @param name what {@code --datasets} selects
 * @param images every image with labels 0–9
 * @param classNames folder name of each label
 * @param target the target labels of the cases (five)
 * @param reserve positions of each source label's order kept for the source model
 * @param sourcePerClass source images per class (classes 0–4)
 * @param pretrainEpochs epochs of the source model's pretraining
 * @param healthy images per class of the healthy baseline
 */
record HarnessDataset(
    String name,
    LabeledImages images,
    List<String> classNames,
    int[] target,
    int reserve,
    int sourcePerClass,
    int pretrainEpochs,
    ScenarioDatasets.Sizes healthy) {

  static final String FASHION = "fashion";
  static final String DIGITS = "digits";

  HarnessDataset {
    if (target.length != 5) {
      throw new IllegalArgumentException(name + ": five target labels, not " + target.length);
    }
    if (sourcePerClass <= 0 || pretrainEpochs <= 0) {
      throw new IllegalArgumentException(name + ": source images and epochs must be positive");
    }
    target = target.clone();
    classNames = List.copyOf(classNames);
  }

  /**
   * Fashion-MNIST's training split: source 600 per class of classes 0–4 (positions 0–599 of each
   * label's order), cases on new images of the same classes (from position 2,000) at 150 / 75 / 75
   * per class.
   */
  static HarnessDataset fashion(Path idx) throws IOException {
    return new HarnessDataset(
        FASHION,
        FashionMnistFolders.read(idx, true),
        FashionMnistFolders.CLASS_NAMES,
        ScenarioDatasets.SOURCE,
        ScenarioDatasets.SOURCE_RESERVE,
        600,
        3,
        new ScenarioDatasets.Sizes(150, 75, 75));
  }

  /**
   * scikit-learn's digits: source 170 per class of digits 0–4 (nearly all of them: 177–183 each),
   * cases on digits 5–9 (174–182 each) at 90 / 40 / 40 per class, about half, a quarter and a
   * quarter of what a class has.
   */
  static HarnessDataset digits(Path csv) throws IOException {
    return new HarnessDataset(
        DIGITS,
        DigitsImages.read(csv),
        DigitsImages.CLASS_NAMES,
        ScenarioDatasets.OTHER,
        0,
        170,
        8,
        new ScenarioDatasets.Sizes(90, 40, 40));
  }

  /** The per-label orders of one seed, with the given target labels. */
  ScenarioDatasets draw(long seed, int[] labels) {
    return new ScenarioDatasets(images, classNames, seed, healthy, labels, reserve);
  }

  /** Training images per class of the healthy baseline. */
  int healthyTrain() {
    return healthy.train();
  }
}
