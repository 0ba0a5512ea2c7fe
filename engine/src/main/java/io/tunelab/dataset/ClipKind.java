package io.tunelab.dataset;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.SampleKind;
import java.util.List;
import java.util.Optional;

/**
 * Video clips: stacks of consecutive frames (channels × frames × height × width), augmented as a
 * whole ({@link ClipAugmenter}), taken by the 3D-convolution network {@code c3d}. A source's videos
 * (files, or folders of frames) are read into stacks by the {@link ClipIngestor}, not one sample
 * per file; every stack of one video is in one split group (its manifest path is the video's, with
 * {@code #frames=A-B} after it).
 */
public final class ClipKind extends OwnIngestKind {
  /** The one instance: it holds no state. */
  public static final ClipKind INSTANCE = new ClipKind();

  private ClipKind() {
    super("a video is read by the clip ingest", List.of("c3d"));
  }

  @Override
  public SampleKind kind() {
    return SampleKind.CLIP;
  }

  @Override
  public String fileProblem(String fileName) {
    if (VideoDecoder.isVideo(fileName) || fileName.lastIndexOf('.') <= 0) {
      return null; // a video file, or a folder of frames (or a file its decoding judges)
    }
    String ext = fileName.substring(fileName.lastIndexOf('.') + 1);
    if (ImageDecoder.extensionProblem(fileName) == null) {
      return "a single image, not a video: a clip source holds video files ("
          + String.join(", ", VideoDecoder.EXTENSIONS.stream().sorted().toList())
          + ") or folders of frames";
    }
    return "unsupported video type '." + ext + "' (mp4, m4v, mov, or a folder of frames)";
  }

  @Override
  public String splitGroup(String path) {
    int stack = path.indexOf("#frames=");
    return stack < 0 ? path : path.substring(0, stack);
  }

  @Override
  public Augmenter augmenter(Augment recipe) {
    return ClipAugmenter.of(recipe);
  }

  @Override
  public Optional<SourceStats> sourceStats(DatasetProfile profile) {
    return Optional.empty();
  }
}
