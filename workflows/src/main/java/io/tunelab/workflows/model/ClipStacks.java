package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How videos are cut into the stacks of frames a clip model takes ({@code --clip-frames N}, {@code
 * --clip-stride S}, {@code --frame-size P}); a value not given ({@code null}) takes its default:
 * the pretrained model's input where it has one, else 16 frames, a stride of the frames and 32
 * pixels. Image and table sources ignore it.
 *
 * @param frames consecutive frames in a stack, or {@code null}
 * @param stride frames from one stack's start to the next's, or {@code null}
 * @param frameSize side of the square the frames are resized to, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClipStacks(Integer frames, Integer stride, Integer frameSize) {
  /** Frames in a stack when neither the flags nor a model say: C3D's 16. */
  public static final int DEFAULT_FRAMES = 16;

  /** Side of the frames when neither the flags nor a model say: small enough for a CPU. */
  public static final int DEFAULT_FRAME_SIZE = 32;

  public ClipStacks {
    if (frames != null && frames < 1) {
      throw new IllegalArgumentException("clip-frames must be > 0: " + frames);
    }
    if (stride != null && stride < 1) {
      throw new IllegalArgumentException("clip-stride must be > 0: " + stride);
    }
    if (frameSize != null && frameSize < 8) {
      throw new IllegalArgumentException("frame-size must be >= 8: " + frameSize);
    }
  }

  /** The flags as given; {@code null} when none is (specs then read and write as before clips). */
  public static ClipStacks of(Integer frames, Integer stride, Integer frameSize) {
    return frames == null && stride == null && frameSize == null
        ? null
        : new ClipStacks(frames, stride, frameSize);
  }
}
