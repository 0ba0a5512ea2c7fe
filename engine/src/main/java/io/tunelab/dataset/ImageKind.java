package io.tunelab.dataset;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.util.List;
import java.util.Optional;

/**
 * Images (PNG, JPEG, BMP, GIF; grey or colour): decoded by {@link ImageDecoder} and resized to the
 * target height and width, hashed by their bytes, each its own split group, augmented by an {@link
 * AugmentationPolicy}, compared by their pixel statistics, taken by the built-in {@code cnn} and
 * ResNets and by imported TorchScript modules.
 */
public final class ImageKind implements DataKind {
  /** The one instance: it holds no state. */
  public static final ImageKind INSTANCE = new ImageKind();

  private static final List<String> ARCHITECTURES =
      List.of("cnn", "resnet18", "resnet50", "torchscript");

  private ImageKind() {}

  @Override
  public SampleKind kind() {
    return SampleKind.IMAGE;
  }

  @Override
  public String fileProblem(String fileName) {
    return ImageDecoder.extensionProblem(fileName);
  }

  @Override
  public DecodeResult read(SourceFile file, SampleShape target) {
    try {
      return DecodeResult.decoded(new ImageDecoder(target.height(), target.width()).decode(file));
    } catch (ImageDecoder.Rejection r) {
      return DecodeResult.rejected(r.getMessage());
    }
  }

  @Override
  public String contentIdentity(SourceFile file) {
    try {
      return "sha256\t" + ImageDecoder.contentHash(file);
    } catch (ImageDecoder.Rejection r) {
      return r.getMessage().startsWith(ImageDecoder.UNREADABLE)
          ? null
          : "rejected\t" + r.getMessage();
    }
  }

  @Override
  public SampleShape storedShape(
      SampleShape requested, boolean detectChannels, List<DecodedImage> samples) {
    int channels = requested.channels();
    if (detectChannels) {
      channels = samples.stream().allMatch(DecodedImage::grey) ? 1 : 3;
    }
    return SampleShape.image(channels, requested.height(), requested.width());
  }

  @Override
  public Augmenter augmenter(Augment recipe) {
    return AugmentationPolicy.of(recipe);
  }

  @Override
  public Optional<SourceStats> sourceStats(DatasetProfile profile) {
    PixelStats train = profile.pixels() == null ? null : profile.pixels().get("train");
    if (train == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SourceStats(
            train.mean(),
            train.std(),
            train.histogram() == null
                ? null
                : train.histogram().stream().mapToLong(Long::longValue).toArray()));
  }

  @Override
  public List<String> architectures() {
    return ARCHITECTURES;
  }
}
