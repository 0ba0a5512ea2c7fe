package io.tunelab.dataset;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.util.List;
import java.util.Optional;

/**
 * What differs between kinds of data (images, a table's rows, video clips) on their way from a
 * source to the diagnosis: which files a source may hold, how one is read, validated and hashed,
 * which samples must stay in one split, the shape the samples are stored in, their augmentation,
 * the statistics the diagnosis compares, and the network families that fit. The ingest, the
 * training, the registry and the diagnosis ask the kind of the data's {@link SampleShape} instead
 * of assuming images; {@link ImageKind}, {@link TableKind} and {@link ClipKind} implement it.
 *
 * <p>Turning samples into a network's input batch is the training's part of the same seam ({@code
 * io.tunelab.training.SampleBatcher}), kept there because it needs the network's normalisation; it
 * is chosen by the same {@link SampleKind}.
 */
public interface DataKind {
  /** The kind of data. */
  SampleKind kind();

  /** Why a source file of this name cannot hold a sample of this kind, or {@code null}. */
  String fileProblem(String fileName);

  /**
   * Reads, validates and decodes one source file into the target shape; never throws for a bad
   * file: a file that cannot be used comes back as a rejection with the reason shown to the user.
   * Thread-safe: the ingest calls it on several threads.
   */
  DecodeResult read(SourceFile file, SampleShape target);

  /**
   * What stands for a file's content in a source's fingerprint without decoding it: {@code
   * sha256\t<hex of its bytes>}, {@code rejected\t<reason>} for a file that will be rejected
   * whatever it holds, or {@code null} when it cannot be read now.
   */
  String contentIdentity(SourceFile file);

  /**
   * The group a file's samples belong to for the split: every sample of one group lands in the same
   * split (all the clips of one video). An image is a group of its own: its path.
   */
  default String splitGroup(String path) {
    return path;
  }

  /**
   * The shape the accepted samples are stored in, from the requested one: for images, grey when
   * every image is grey and channels are detected.
   */
  SampleShape storedShape(
      SampleShape requested, boolean detectChannels, List<DecodedImage> samples);

  /** The augmentation of a recipe, applied to training samples only. */
  Augmenter augmenter(Augment recipe);

  /**
   * The statistics of a dataset's training split that the diagnosis compares with a target's for
   * domain shift (for images: pixel mean, deviation and histogram), or empty when the profile has
   * none.
   */
  Optional<SourceStats> sourceStats(DatasetProfile profile);

  /** The network families that take samples of this kind, as named by {@code --model}. */
  List<String> architectures();

  /**
   * The kind of data of a sample kind.
   *
   * @throws UnsupportedOperationException for a kind tunelab does not read yet
   */
  static DataKind of(SampleKind kind) {
    if (kind == SampleKind.IMAGE) {
      return ImageKind.INSTANCE;
    }
    if (kind == SampleKind.TABLE) {
      return TableKind.INSTANCE;
    }
    if (kind == SampleKind.CLIP) {
      return ClipKind.INSTANCE;
    }
    throw new UnsupportedOperationException(kind + " data is not supported yet");
  }

  /** The kind of data an ingest's profile describes (images when it names no shape). */
  static DataKind of(DatasetProfile profile) {
    return profile.shape() == null ? ImageKind.INSTANCE : of(profile.shape());
  }

  /** The kind of data of samples of this shape. */
  static DataKind of(SampleShape shape) {
    return of(shape.kind());
  }
}
