package io.tunelab.cli.options;

import io.tunelab.cli.UsageException;
import io.tunelab.workflows.model.ClipStacks;
import picocli.CommandLine.Option;

/**
 * How the videos of a clip source are cut into stacks, for every verb that takes {@code --data}
 * ({@code run}, {@code pretrain}, {@code watch}, {@code sweep}, {@code data push}): {@code
 * --clip-frames N}, {@code --clip-stride S} and {@code --frame-size P}. Image and table sources
 * ignore them.
 */
public final class ClipOptions {
  @Option(
      names = "--clip-frames",
      paramLabel = "N",
      description =
          "Clips: consecutive frames in a stack (default: "
              + ClipStacks.DEFAULT_FRAMES
              + ", or the pretrained clip model's).")
  public Integer frames;

  @Option(
      names = "--clip-stride",
      paramLabel = "S",
      description = "Clips: frames from one stack's start to the next's (default: --clip-frames).")
  public Integer stride;

  @Option(
      names = "--frame-size",
      paramLabel = "P",
      description =
          "Clips: side of the square the frames are resized to (default: "
              + ClipStacks.DEFAULT_FRAME_SIZE
              + ", or the pretrained clip model's).")
  public Integer frameSize;

  /**
   * The stacks these options describe, or {@code null} when no flag is given (specs then read and
   * write as before clips).
   *
   * @throws UsageException naming the flag whose value is out of range
   */
  public ClipStacks stacks() {
    try {
      return ClipStacks.of(frames, stride, frameSize);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + e.getMessage());
    }
  }
}
