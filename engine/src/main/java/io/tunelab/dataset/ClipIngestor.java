package io.tunelab.dataset;

import io.tunelab.dataset.SourceLayout.Placement;
import io.tunelab.workflows.model.ClipStacks;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns a source of video clips into train, val and test splits of stacks of frames. A class folder
 * (or {@code train/<class>/}, …) holds video files ({@link VideoDecoder}) or folders of frame
 * images, one folder per video, frames in name order. Each video is decoded on several threads, its
 * frames resized to the frame size as they come, and rejected with the reason when it cannot be
 * decoded or is shorter than a stack; the videos are split as images are ({@link SplitPlan}, a
 * video a sample: all its stacks land in one split, a user's splits are kept), and each split's
 * stacks are cut from its videos' frames: {@code frames} consecutive frames every {@code stride}
 * frames, stored channels × frames × height × width. A video's frames are dropped as soon as its
 * stacks are packed, so a dataset's decoded frames are never held twice.
 *
 * <p>The profile counts stacks in {@code counts} and videos in {@link ClipStats}; {@code
 * duplicatesAcrossSplits} counts val and test videos that share a stack's worth of decoded frames
 * (or all of theirs, when shorter) with a video of an earlier split.
 */
public final class ClipIngestor {
  /** Changes when the ingest's output for the same input changes; part of the content id. */
  static final String FORMAT = "tunelab-clips/1";

  /** The largest video file read. */
  static final int MAX_VIDEO_BYTES = 1 << 30;

  private final DecodePool pool;

  /** An ingestor that decodes on as many threads as there are processors. */
  public ClipIngestor() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /** An ingestor that decodes on {@code threads} threads. */
  public ClipIngestor(int threads) {
    this.pool = new DecodePool(threads);
  }

  /**
   * How to ingest clips: the options (their shape a clip's: channels, frames, frame size twice) and
   * the stride.
   *
   * @param options classes, cap, seed, the stack shape and channel detection
   * @param stride frames from one stack's start to the next's
   */
  public record ClipOptions(IngestOptions options, int stride) {
    public ClipOptions {
      if (options.shape().kind() != SampleKind.CLIP) {
        throw new IllegalArgumentException("clip options need a clip shape: " + options.shape());
      }
      if (stride < 1) {
        throw new IllegalArgumentException("stride must be > 0: " + stride);
      }
    }

    /** Frames in a stack. */
    public int frames() {
      return options.shape().frames();
    }

    /** Side of the square frames. */
    public int frameSize() {
      return options.shape().height();
    }

    /**
     * The clip options of an ingest request: its {@link ClipStacks} where given, else the requested
     * shape's where it is a clip model's, else the defaults.
     *
     * @throws BadInputException when a flag contradicts the pretrained clip model's input
     */
    public static ClipOptions from(IngestRequest request) {
      SampleShape requested = request.shape();
      ClipStacks given =
          request.clips() == null ? new ClipStacks(null, null, null) : request.clips();
      boolean model = requested.kind() == SampleKind.CLIP;
      int frames =
          pick(
              given.frames(),
              model ? requested.frames() : null,
              ClipStacks.DEFAULT_FRAMES,
              model,
              "--clip-frames",
              "frames");
      int size =
          pick(
              given.frameSize(),
              model ? requested.height() : null,
              ClipStacks.DEFAULT_FRAME_SIZE,
              model,
              "--frame-size",
              "pixels");
      int channels = requested.kind() == SampleKind.TABLE ? 1 : requested.channels();
      IngestOptions options =
          new IngestOptions(
              request.classes(),
              request.perClass(),
              request.seed(),
              SampleShape.clip(channels, frames, size, size),
              request.detectChannels());
      return new ClipOptions(options, given.stride() == null ? frames : given.stride());
    }

    private static int pick(
        Integer flag, Integer model, int fallback, boolean fromModel, String name, String unit) {
      if (flag != null && model != null && !flag.equals(model)) {
        throw new BadInputException(
            name + " " + flag + ": the pretrained model takes " + model + " " + unit);
      }
      return flag != null ? flag : model != null ? model : fallback;
    }
  }

  /** One video: a file, or a folder of frames (in name order). */
  private record Video(String path, boolean folder, List<SourceFile> files) {}

  /** What a source holds for a clip ingest: its videos as a selection, and what was rejected. */
  private record Listing(
      ClassSelection selection, Map<String, Video> videos, List<RejectedFile> rejected) {}

  /** A decoded video or the reason it is rejected. */
  private record Decoded(
      String sha256, int width, int height, boolean grey, List<byte[]> frames, String rejection) {}

  /**
   * Whether a source's entries are clips: it holds a video file, or frame folders (images one
   * folder below a class folder) and no image directly in a class folder.
   */
  static boolean holdsClips(List<SourceFile> entries) {
    int frames = 0;
    int images = 0;
    boolean splits = entries.stream().anyMatch(e -> e.path().startsWith("train/"));
    for (SourceFile e : entries) {
      if (e.isFolder()) {
        continue;
      }
      if (VideoDecoder.isVideo(e.name())) {
        return true;
      }
      if (ImageDecoder.extensionProblem(e.name()) == null) {
        int depth = e.path().split("/").length - (splits ? 1 : 0);
        if (depth == 2) {
          images++;
        } else if (depth == 3) {
          frames++;
        }
      }
    }
    return frames > 0 && images == 0;
  }

  /**
   * The id of the ingest that {@link #ingest} would make of the source with these options, from the
   * files' bytes without decoding them: equal ids mean identical ingests.
   *
   * @throws BadInputException when the source cannot be ingested as given
   * @throws IOException when the source cannot be listed or read, or the thread is interrupted
   */
  public String contentId(ImageSource source, ClipOptions options, IngestProgress progress)
      throws IOException {
    Listing listing = list(source, options);
    List<Placement> candidates = listing.selection().candidates();
    List<String> hashes =
        pool.map(
            candidates.size(),
            progress,
            i -> {
              try {
                return hash(listing.videos().get(candidates.get(i).file().path()));
              } catch (IOException e) {
                return UNREADABLE;
              }
            });
    return contentId(listing, options, hashes);
  }

  /**
   * Ingests a source of clips.
   *
   * @param progress told how many videos have been decoded, on the calling thread
   * @throws BadInputException when the source cannot be ingested as given
   * @throws IOException when the source cannot be listed, or the thread is interrupted
   */
  public IngestOutcome ingest(ImageSource source, ClipOptions options, IngestProgress progress)
      throws IOException {
    Listing listing = list(source, options);
    ClassSelection selection = listing.selection();
    List<Placement> candidates = selection.candidates();
    int size = options.frameSize();
    List<Decoded> results =
        pool.map(
            candidates.size(),
            progress,
            i -> decode(listing.videos().get(candidates.get(i).file().path()), size, options));
    List<RejectedFile> rejected = new ArrayList<>(listing.rejected());
    Map<String, Integer> rejectedPerGroup = new TreeMap<>(selection.rejectedPerGroup());
    List<AcceptedImage> accepted = new ArrayList<>();
    List<Placement> usable = new ArrayList<>();
    Map<String, List<byte[]>> framesOf = new HashMap<>();
    Map<String, Boolean> greyOf = new HashMap<>();
    boolean allGrey = true;
    for (int i = 0; i < candidates.size(); i++) {
      Placement p = candidates.get(i);
      Decoded d = results.get(i);
      if (d.rejection() != null) {
        rejected.add(new RejectedFile(p.file().path(), d.rejection()));
        rejectedPerGroup.merge(ClassSelection.group(p), 1, Integer::sum);
        continue;
      }
      accepted.add(
          new AcceptedImage(
              p,
              new DecodedImage(d.sha256(), d.width(), d.height(), d.grey(), new byte[0], 0L),
              selection.labels().get(p.className())));
      usable.add(p);
      framesOf.put(p.file().path(), d.frames());
      greyOf.put(p.file().path(), d.grey());
      allGrey &= d.grey();
    }
    String[] shas = new String[candidates.size()];
    for (int i = 0; i < shas.length; i++) {
      shas[i] = results.get(i).sha256();
    }
    results = null; // the frames are held by framesOf alone from here on
    ClassSelection.requireUsable(selection.layout(), selection.classes(), usable, rejectedPerGroup);
    rejected.sort(Comparator.comparing(RejectedFile::path));

    SampleShape requested = options.options().shape();
    int channels = options.options().detectChannels() ? (allGrey ? 1 : 3) : requested.channels();
    SampleShape shape = SampleShape.clip(channels, options.frames(), size, size);
    SplitPlan plan =
        SplitPlan.of(
            selection.layout(),
            selection.classes(),
            accepted,
            options.options(),
            ClipKind.INSTANCE);

    Duplicates duplicates = Duplicates.find(plan, framesOf, options.frames());
    Map<String, LabeledImages> splits = new LinkedHashMap<>();
    List<ManifestEntry> entries = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      splits.put(
          StratifiedSplit.name(s),
          pack(
              plan.split(s),
              StratifiedSplit.name(s),
              shape,
              options.stride(),
              framesOf,
              greyOf,
              entries));
    }
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      hashes.add(shas[i]);
    }
    String contentId = contentId(listing, options, hashes);
    Manifest manifest = new Manifest(contentId, List.copyOf(selection.classes()), shape, entries);
    Supplier<DatasetProfile> profile =
        profile(selection, shape, options, plan, accepted, splits, rejected, duplicates);
    return new IngestOutcome(
        contentId, List.copyOf(selection.classes()), splits, shape, manifest::toJson, profile);
  }

  /**
   * The content id: the format and stride, the layout, the options, the files rejected by their
   * name or place, and each candidate video's path, content hash (or the reason it could not be
   * read), class and split.
   */
  private static String contentId(Listing listing, ClipOptions options, List<String> hashes) {
    List<String> lines = new ArrayList<>();
    for (RejectedFile r : listing.rejected()) {
      lines.add(ContentId.rejected(r.path(), r.reason()));
    }
    List<Placement> candidates = listing.selection().candidates();
    for (int i = 0; i < candidates.size(); i++) {
      Placement p = candidates.get(i);
      lines.add(ContentId.accepted(p.file().path(), hashes.get(i), p.className(), p.split()));
    }
    return ContentId.of(
        FORMAT + "/stride=" + options.stride(),
        listing.selection().layout().splitLayout() ? "splits" : "class-folders",
        listing.selection().options(),
        lines);
  }

  /**
   * Lists the source and groups its files into videos: a video file directly in a class folder, or
   * a folder there whose images are the frames. Other files are rejected with the reason.
   */
  private static Listing list(ImageSource source, ClipOptions options) throws IOException {
    List<SourceFile> entries = new ArrayList<>(source.files());
    entries.sort(Comparator.comparing(SourceFile::path));
    SourceLayout layout = SourceLayout.detect(entries);
    int classDepth = layout.splitLayout() ? 2 : 1;
    Set<String> placed = new HashSet<>();
    layout.placements().forEach(p -> placed.add(p.file().path()));
    List<RejectedFile> rejected = new ArrayList<>();
    Map<String, List<SourceFile>> frameFolders = new TreeMap<>();
    List<SourceFile> listed = new ArrayList<>();
    for (SourceFile e : entries) {
      String[] parts = e.path().split("/");
      if (e.isFolder()) {
        if (parts.length <= classDepth) {
          listed.add(e);
        }
        continue;
      }
      if (!placed.contains(e.path())) {
        listed.add(e); // the layout rejects it again, with its reason
        continue;
      }
      int below = parts.length - classDepth; // 1: in the class folder, 2: in a video's folder
      String hidden = hidden(parts);
      if (hidden != null && below <= 2) {
        if (below == 1) {
          listed.add(e); // the layout rejects a hidden file in a class folder
        } else {
          rejected.add(new RejectedFile(e.path(), hidden));
        }
      } else if (below == 1) {
        listed.add(e);
      } else if (below == 2) {
        String problem = ImageDecoder.extensionProblem(e.name());
        if (problem != null) {
          rejected.add(new RejectedFile(e.path(), "not a frame image: " + problem));
        } else {
          String folder = e.path().substring(0, e.path().lastIndexOf('/'));
          frameFolders.computeIfAbsent(folder, f -> new ArrayList<>()).add(e);
        }
      } else {
        String folder = String.join("/", java.util.Arrays.copyOf(parts, classDepth + 1));
        rejected.add(
            new RejectedFile(
                e.path(),
                "nested folder: a video's frames must sit directly in its folder " + folder + "/"));
      }
    }
    Map<String, Video> videos = new HashMap<>();
    for (SourceFile e : listed) {
      if (!e.isFolder()) {
        videos.put(e.path(), new Video(e.path(), false, List.of(e)));
      }
    }
    for (Map.Entry<String, List<SourceFile>> f : frameFolders.entrySet()) {
      List<SourceFile> frames = new ArrayList<>(f.getValue());
      frames.sort(Comparator.comparing(SourceFile::name));
      long bytes = frames.stream().mapToLong(SourceFile::size).sum();
      SourceFile folder =
          new SourceFile(
              f.getKey(),
              bytes,
              () -> {
                throw new IOException("a folder of frames is read frame by frame");
              });
      listed.add(folder);
      videos.put(f.getKey(), new Video(f.getKey(), true, frames));
    }
    listed.sort(Comparator.comparing(SourceFile::path));
    ImageSource grouped =
        new ImageSource() {
          @Override
          public List<SourceFile> files() {
            return listed;
          }

          @Override
          public Map<String, String> classAliases() {
            return source.classAliases();
          }
        };
    ClassSelection selection = ClassSelection.of(grouped, options.options());
    List<RejectedFile> all = new ArrayList<>(selection.rejected());
    for (RejectedFile r : rejected) {
      if (selection.labels().containsKey(classOf(r.path(), classDepth))) {
        all.add(r);
      }
    }
    return new Listing(selection, videos, all);
  }

  private static String classOf(String path, int classDepth) {
    String[] parts = path.split("/");
    return parts.length > classDepth ? parts[classDepth - 1] : "";
  }

  private static String hidden(String[] parts) {
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].startsWith(".")) {
        return i == parts.length - 1 ? "hidden file" : "inside hidden folder '" + parts[i] + "'";
      }
    }
    return null;
  }

  /** Hex SHA-256 of a video: its file's bytes, or each frame's name and bytes in order. */
  private static String hash(Video video) throws IOException {
    MessageDigest digest = sha256();
    for (SourceFile f : video.files()) {
      if (video.folder()) {
        digest.update((f.name() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      digest.update(bytes(f));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static byte[] bytes(SourceFile f) throws IOException {
    try (InputStream in = f.open()) {
      byte[] b = in.readNBytes(MAX_VIDEO_BYTES + 1);
      if (b.length > MAX_VIDEO_BYTES) {
        throw new IOException("file larger than " + (MAX_VIDEO_BYTES >> 20) + " MiB");
      }
      return b;
    }
  }

  /**
   * Decodes one video's frames at the frame size; never throws for a bad video. Its hash is that of
   * {@link #hash}, or {@code unreadable}, rejected or not, as the content id takes it.
   */
  private static Decoded decode(Video video, int size, ClipOptions options) {
    String sha;
    List<byte[]> frames = new ArrayList<>();
    int width = 0;
    int height = 0;
    boolean grey = true;
    try {
      if (video.folder()) {
        sha = hash(video);
        ImageDecoder decoder = new ImageDecoder(size, size);
        for (SourceFile f : video.files()) {
          DecodedImage image;
          try {
            image = decoder.decode(f);
          } catch (ImageDecoder.Rejection r) {
            return rejected(sha, "frame " + f.name() + ": " + r.getMessage());
          }
          if (frames.isEmpty()) {
            width = image.width();
            height = image.height();
          }
          grey &= image.grey();
          frames.add(image.pixels(3));
        }
      } else {
        byte[] bytes = bytes(video.files().get(0));
        sha = HexFormat.of().formatHex(sha256().digest(bytes));
        if (bytes.length == 0) {
          return rejected(sha, "empty file (0 bytes)");
        }
        try {
          VideoDecoder.Frames decoded = VideoDecoder.decode(bytes, size);
          frames = decoded.frames();
          width = decoded.width();
          height = decoded.height();
          grey = decoded.grey();
        } catch (VideoDecoder.Rejection r) {
          return rejected(sha, r.getMessage());
        }
      }
    } catch (IOException e) {
      return rejected(UNREADABLE, ImageDecoder.UNREADABLE + ": " + e.getMessage());
    }
    if (frames.size() < options.frames()) {
      return rejected(
          sha,
          "too short: "
              + frames.size()
              + (frames.size() == 1 ? " frame" : " frames")
              + ", a stack takes "
              + options.frames()
              + " (--clip-frames)");
    }
    if (grey) {
      int plane = size * size;
      frames.replaceAll(f -> java.util.Arrays.copyOf(f, plane));
    }
    return new Decoded(sha, width, height, grey, frames, null);
  }

  /** What stands for a video's content in the content id when its bytes cannot be read. */
  private static final String UNREADABLE = "unreadable";

  private static Decoded rejected(String sha256, String reason) {
    return new Decoded(sha256, 0, 0, false, null, reason);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The number of stacks a video of {@code length} frames is cut into. */
  static int stacks(int length, int frames, int stride) {
    return length < frames ? 0 : (length - frames) / stride + 1;
  }

  /**
   * Cuts one split's videos into stacks (channels × frames × height × width each), adds their
   * manifest entries ({@code path#frames=A-B}) and drops each video's frames once cut.
   */
  private static LabeledImages pack(
      List<AcceptedImage> videos,
      String split,
      SampleShape shape,
      int stride,
      Map<String, List<byte[]>> framesOf,
      Map<String, Boolean> greyOf,
      List<ManifestEntry> manifest) {
    int n = shape.frames();
    int plane = shape.height() * shape.width();
    int count = 0;
    for (AcceptedImage v : videos) {
      count += stacks(framesOf.get(v.path()).size(), n, stride);
    }
    byte[] pixels = new byte[Math.multiplyExact(count, shape.size())];
    int[] labels = new int[count];
    int index = 0;
    for (AcceptedImage v : videos) {
      List<byte[]> frames = framesOf.remove(v.path());
      boolean grey = greyOf.get(v.path());
      int k = stacks(frames.size(), n, stride);
      for (int s = 0; s < k; s++) {
        int start = s * stride;
        int base = index * shape.size();
        for (int t = 0; t < n; t++) {
          byte[] frame = frames.get(start + t);
          for (int c = 0; c < shape.channels(); c++) {
            channel(frame, grey, c, shape.channels(), plane, pixels, base + (c * n + t) * plane);
          }
        }
        labels[index] = v.label();
        manifest.add(
            new ManifestEntry(
                v.path() + "#frames=" + start + "-" + (start + n - 1),
                v.sha256(),
                v.className(),
                split,
                index));
        index++;
      }
    }
    return new LabeledImages(shape, pixels, labels);
  }

  /**
   * Copies channel {@code c} of a frame (grey: one plane; colour: three) for a stack of {@code
   * channels}.
   */
  private static void channel(
      byte[] frame, boolean grey, int c, int channels, int plane, byte[] out, int at) {
    if (grey) {
      System.arraycopy(frame, 0, out, at, plane);
    } else if (channels == 3) {
      System.arraycopy(frame, c * plane, out, at, plane);
    } else {
      for (int i = 0; i < plane; i++) {
        out[at + i] =
            ImageDecoder.luminance(
                frame[i] & 0xff, frame[plane + i] & 0xff, frame[2 * plane + i] & 0xff);
      }
    }
  }

  /** Videos that share decoded frames, across and within splits. */
  private record Duplicates(int across, int within, List<DuplicatePair> pairs) {
    /**
     * A val or test video counts across splits when at least a stack's worth of its frames (all of
     * them, when it has fewer) appear in a video of an earlier split; a video counts within its
     * split when all its frames equal an earlier (by path) video's of the same split.
     */
    static Duplicates find(SplitPlan plan, Map<String, List<byte[]>> framesOf, int stackFrames) {
      Map<Long, String[]> firstFrame = new HashMap<>(); // frame key -> {path, split name}
      Map<String, String> firstVideo = new HashMap<>();
      int across = 0;
      int within = 0;
      List<DuplicatePair> pairs = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        String split = StratifiedSplit.name(s);
        List<AcceptedImage> videos = new ArrayList<>(plan.split(s));
        videos.sort(Comparator.comparing(AcceptedImage::path));
        Map<Long, String[]> added = new HashMap<>();
        for (AcceptedImage v : videos) {
          List<byte[]> frames = framesOf.get(v.path());
          long[] keys = frames.stream().mapToLong(ClipIngestor::frameKey).toArray();
          Map<String, Integer> sharedWith = new TreeMap<>();
          for (long key : keys) {
            String[] earlier = firstFrame.get(key);
            if (earlier != null) {
              sharedWith.merge(earlier[0] + "\t" + earlier[1], 1, Integer::sum);
            }
          }
          int need = Math.min(stackFrames, keys.length);
          for (Map.Entry<String, Integer> e : sharedWith.entrySet()) {
            if (e.getValue() >= need) {
              across++;
              String[] other = e.getKey().split("\t");
              if (pairs.size() < DuplicateIndex.MAX_PAIRS) {
                pairs.add(new DuplicatePair(other[0], other[1], v.path(), split, 0));
              }
              break;
            }
          }
          String whole = java.util.Arrays.toString(keys);
          String same = firstVideo.putIfAbsent(split + "\t" + whole, v.path());
          if (same != null) {
            within++;
            if (pairs.size() < DuplicateIndex.MAX_PAIRS) {
              pairs.add(new DuplicatePair(same, split, v.path(), split, 0));
            }
          }
          for (long key : keys) {
            added.putIfAbsent(key, new String[] {v.path(), split});
          }
        }
        added.forEach(firstFrame::putIfAbsent);
      }
      return new Duplicates(across, within, List.copyOf(pairs));
    }
  }

  /** A 64-bit key of a frame's decoded pixels (the first 8 bytes of their SHA-256). */
  private static long frameKey(byte[] frame) {
    byte[] d = sha256().digest(frame);
    long key = 0;
    for (int i = 0; i < 8; i++) {
      key = key << 8 | (d[i] & 0xff);
    }
    return key;
  }

  private static Supplier<DatasetProfile> profile(
      ClassSelection selection,
      SampleShape shape,
      ClipOptions options,
      SplitPlan plan,
      List<AcceptedImage> accepted,
      Map<String, LabeledImages> splits,
      List<RejectedFile> rejected,
      Duplicates duplicates) {
    SourceLayout layout = selection.layout();
    List<String> classes = selection.classes();
    Map<String, Map<String, Integer>> stackCounts = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> videos = new LinkedHashMap<>();
    Map<String, Integer> sizes = new TreeMap<>();
    int grey = 0;
    int total = 0;
    for (int s = 0; s < 3; s++) {
      String split = StratifiedSplit.name(s);
      Map<String, Integer> stacks = new LinkedHashMap<>();
      Map<String, Integer> perClass = new LinkedHashMap<>();
      classes.forEach(c -> stacks.put(c, 0));
      classes.forEach(c -> perClass.put(c, 0));
      for (int label : splits.get(split).labels()) {
        stacks.merge(classes.get(label), 1, Integer::sum);
      }
      for (AcceptedImage a : plan.split(s)) {
        perClass.merge(a.className(), 1, Integer::sum);
        sizes.merge(a.image().width() + "x" + a.image().height(), 1, Integer::sum);
        grey += a.image().grey() ? 1 : 0;
        total++;
      }
      stackCounts.put(split, stacks);
      videos.put(split, perClass);
    }
    Map<String, Integer> cappedVideos = DatasetProfiler.cappedOut(classes, plan, accepted);
    double stackImbalance = DatasetProfiler.imbalance(stackCounts.get("train"));
    int greyVideos = grey;
    int colourVideos = total - grey;
    ClipStats clips =
        new ClipStats(options.frames(), options.stride(), options.frameSize(), videos);
    return () -> {
      Map<String, PixelStats> pixels = new LinkedHashMap<>();
      int planeSize = shape.frames() * shape.height() * shape.width();
      for (int s = 0; s < 3; s++) {
        String split = StratifiedSplit.name(s);
        pixels.put(split, PixelStats.of(splits.get(split).pixels(), shape.channels(), planeSize));
      }
      return new DatasetProfile(
          layout.splitLayout() ? "splits" : "class-folders",
          layout.splitLayout() && !layout.hasTest(),
          List.copyOf(classes),
          shape,
          stackCounts,
          cappedVideos,
          stackImbalance,
          pixels,
          sizes,
          greyVideos,
          colourVideos,
          List.copyOf(rejected),
          duplicates.across(),
          duplicates.within(),
          duplicates.pairs(),
          0,
          List.of(),
          null,
          clips);
    };
  }
}
