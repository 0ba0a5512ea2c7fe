package io.tunelab.dataset;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.util.List;
import java.util.Optional;

/**
 * Video clips: stacks of consecutive frames (channels × frames × height × width), augmented as a
 * whole ({@link ClipAugmenter}), taken by the 3D-convolution network {@code c3d}. Reading videos
 * and frame folders into stacks is the clip ingest's work; until it reads a source, a file here is
 * refused with that reason.
 */
public final class ClipKind implements DataKind {
  /** The one instance: it holds no state. */
  public static final ClipKind INSTANCE = new ClipKind();

  private static final List<String> ARCHITECTURES = List.of("c3d");

  private ClipKind() {}

  @Override
  public SampleKind kind() {
    return SampleKind.CLIP;
  }

  @Override
  public String fileProblem(String fileName) {
    return "video sources are read by the clip ingest";
  }

  @Override
  public DecodeResult read(SourceFile file, SampleShape target) {
    return DecodeResult.rejected("video sources are read by the clip ingest");
  }

  @Override
  public String contentIdentity(SourceFile file) {
    return null;
  }

  @Override
  public SampleShape storedShape(
      SampleShape requested, boolean detectChannels, List<DecodedImage> samples) {
    return requested;
  }

  @Override
  public Augmenter augmenter(Augment recipe) {
    return ClipAugmenter.of(recipe);
  }

  @Override
  public Optional<SourceStats> sourceStats(DatasetProfile profile) {
    return Optional.empty();
  }

  @Override
  public List<String> architectures() {
    return ARCHITECTURES;
  }
}
