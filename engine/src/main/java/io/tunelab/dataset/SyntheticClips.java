package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Small synthetic action clips to try clips on: a Fashion-MNIST garment moving, turning, growing or
 * shrinking across a grey frame, the motion being the class, so that one frame cannot tell it (the
 * garment, its size, where it starts, its speed, the background and the noise are drawn at random
 * for each video). A source set and a target set share some motions and the target adds others, as
 * an action model is fine-tuned on a larger set of actions. Videos are written as frame folders
 * (one folder of PNG frames per video) or as MP4 files (H.264), under one folder per class; the
 * same spec and garments give the same pixels.
 */
public final class SyntheticClips {
  /** A motion: the class of the clips that show it. */
  public enum Motion {
    MOVE_RIGHT,
    MOVE_LEFT,
    MOVE_UP,
    MOVE_DOWN,
    TURN_CLOCKWISE,
    TURN_ANTICLOCKWISE,
    GROW,
    SHRINK;

    /** The class folder's name: {@code move-right}, {@code turn-clockwise}, … */
    public String folder() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The source set's motions: moves in four directions, growing and shrinking. */
  public static final List<Motion> SOURCE =
      List.of(
          Motion.MOVE_RIGHT,
          Motion.MOVE_LEFT,
          Motion.MOVE_UP,
          Motion.MOVE_DOWN,
          Motion.GROW,
          Motion.SHRINK);

  /** The target set's motions: three of the source's, and the two turns it never saw. */
  public static final List<Motion> TARGET =
      List.of(
          Motion.MOVE_RIGHT,
          Motion.MOVE_LEFT,
          Motion.GROW,
          Motion.TURN_CLOCKWISE,
          Motion.TURN_ANTICLOCKWISE);

  /** How videos are written. */
  public enum Format {
    /** A folder of PNG frames per video ({@code f000.png}, …). */
    FRAMES,
    /** An H.264 MP4 file per video. */
    MP4
  }

  /**
   * What to generate.
   *
   * @param motions the classes
   * @param videosPerClass videos of each motion
   * @param frames frames of each video
   * @param size frame height and width in pixels
   * @param seed seed of every random choice
   */
  public record Spec(List<Motion> motions, int videosPerClass, int frames, int size, long seed) {
    public Spec {
      motions = List.copyOf(motions);
      if (motions.isEmpty()) {
        throw new IllegalArgumentException("motions must not be empty");
      }
      if (videosPerClass < 1) {
        throw new IllegalArgumentException("videosPerClass must be > 0: " + videosPerClass);
      }
      if (frames < 2) {
        throw new IllegalArgumentException("frames must be >= 2: " + frames);
      }
      if (size < 16) {
        throw new IllegalArgumentException("size must be >= 16: " + size);
      }
    }
  }

  private final LabeledImages garments;

  /** A generator drawing its garments from {@code garments} (grey images of any size). */
  public SyntheticClips(LabeledImages garments) {
    this.garments = Objects.requireNonNull(garments, "garments");
    if (garments.size() == 0 || garments.shape().channels() != 1) {
      throw new IllegalArgumentException("garments must be grey images: " + garments.shape());
    }
  }

  /**
   * A generator over Fashion-MNIST's training images (source sets) or test images (target sets, so
   * that the two never show the same garment), read from the idx files in {@code dir}.
   *
   * @throws IOException when the files are missing or damaged
   */
  public static SyntheticClips fashionMnist(Path dir, boolean train) throws IOException {
    return new SyntheticClips(FashionMnistFolders.read(dir, train));
  }

  /**
   * Writes the spec's videos under {@code dir/<motion>/}: {@code v000/f000.png …} or {@code
   * v000.mp4 …}.
   *
   * @return the written videos (frame folders or files), sorted
   * @throws IOException when a file cannot be written
   */
  public List<Path> write(Spec spec, Format format, Path dir) throws IOException {
    List<Path> written = new ArrayList<>();
    SampleShape frame = SampleShape.image(1, spec.size(), spec.size());
    for (int m = 0; m < spec.motions().size(); m++) {
      Motion motion = spec.motions().get(m);
      Path classDir = Files.createDirectories(dir.resolve(motion.folder()));
      for (int v = 0; v < spec.videosPerClass(); v++) {
        List<byte[]> frames = video(motion, spec.frames(), spec.size(), seed(spec, motion, v));
        String name = String.format("v%03d", v);
        if (format == Format.MP4) {
          Path file = classDir.resolve(name + ".mp4");
          Mp4Writer.write(frames, 1, spec.size(), spec.size(), 25, file);
          written.add(file);
        } else {
          Path folder = Files.createDirectories(classDir.resolve(name));
          for (int f = 0; f < frames.size(); f++) {
            Files.write(
                folder.resolve(String.format("f%03d.png", f)),
                PngEncoder.encode(frames.get(f), frame));
          }
          written.add(folder);
        }
      }
    }
    written.sort(null);
    return written;
  }

  /** The seed of one video: the same for a motion and index whatever the other motions. */
  private static long seed(Spec spec, Motion motion, int video) {
    return spec.seed() * 1_000_003L + motion.ordinal() * 10_007L + video;
  }

  /**
   * One video's grey frames of {@code size} × {@code size}, drawn from {@code seed}: a garment
   * moving, turning or scaling steadily from a random start at a random speed, over a random dark
   * background with noise.
   */
  public List<byte[]> video(Motion motion, int frames, int size, long seed) {
    Random random = new Random(seed);
    byte[] garment = garments.image(random.nextInt(garments.size()));
    int gh = garments.shape().height();
    int gw = garments.shape().width();
    double speed = 0.7 + 0.6 * random.nextDouble();
    double baseScale = size * (0.45 + 0.15 * random.nextDouble()) / Math.max(gh, gw);
    double cx = size * (0.35 + 0.3 * random.nextDouble());
    double cy = size * (0.35 + 0.3 * random.nextDouble());
    double angle0 = (random.nextDouble() - 0.5) * Math.PI / 3;
    int background = random.nextInt(40);
    double travel = size * 0.5 * speed; // pixels over the whole video
    double turn = Math.PI * speed; // radians over the whole video
    List<byte[]> out = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      double t = (double) f / (frames - 1) - 0.5; // -0.5 .. 0.5
      double x = cx;
      double y = cy;
      double angle = angle0;
      double scale = baseScale;
      switch (motion) {
        case MOVE_RIGHT -> x += t * travel;
        case MOVE_LEFT -> x -= t * travel;
        case MOVE_UP -> y -= t * travel;
        case MOVE_DOWN -> y += t * travel;
        case TURN_CLOCKWISE -> angle += t * turn;
        case TURN_ANTICLOCKWISE -> angle -= t * turn;
        case GROW -> scale *= Math.pow(2.0, 1.2 * speed * t);
        case SHRINK -> scale *= Math.pow(2.0, -1.2 * speed * t);
      }
      out.add(draw(garment, gh, gw, size, x, y, angle, scale, background, random));
    }
    return out;
  }

  /** The garment rotated by {@code angle}, scaled and centred at (x, y), bilinearly sampled. */
  private static byte[] draw(
      byte[] garment,
      int gh,
      int gw,
      int size,
      double x,
      double y,
      double angle,
      double scale,
      int background,
      Random random) {
    byte[] frame = new byte[size * size];
    double cos = Math.cos(angle) / scale;
    double sin = Math.sin(angle) / scale;
    for (int py = 0; py < size; py++) {
      for (int px = 0; px < size; px++) {
        double dx = px + 0.5 - x;
        double dy = py + 0.5 - y;
        double u = cos * dx + sin * dy + gw / 2.0 - 0.5;
        double v = -sin * dx + cos * dy + gh / 2.0 - 0.5;
        int value = (int) Math.round(sample(garment, gh, gw, u, v));
        int noise = background + random.nextInt(17) - 8;
        frame[py * size + px] = (byte) Math.max(0, Math.min(255, Math.max(value, noise)));
      }
    }
    return frame;
  }

  private static double sample(byte[] image, int h, int w, double u, double v) {
    int u0 = (int) Math.floor(u);
    int v0 = (int) Math.floor(v);
    double fu = u - u0;
    double fv = v - v0;
    return (1 - fv) * ((1 - fu) * at(image, h, w, u0, v0) + fu * at(image, h, w, u0 + 1, v0))
        + fv * ((1 - fu) * at(image, h, w, u0, v0 + 1) + fu * at(image, h, w, u0 + 1, v0 + 1));
  }

  private static int at(byte[] image, int h, int w, int u, int v) {
    return u < 0 || v < 0 || u >= w || v >= h ? 0 : image[v * w + u] & 0xff;
  }

  /** The motions' class folder names, in the order given. */
  public static List<String> folders(List<Motion> motions) {
    return motions.stream().map(Motion::folder).toList();
  }

  @Override
  public String toString() {
    return "SyntheticClips" + Arrays.asList(garments.size(), garments.shape());
  }
}
