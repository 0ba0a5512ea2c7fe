package io.tunelab.bench;

import io.tunelab.dataset.ClipIngestor;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.IngestOptions;
import io.tunelab.dataset.IngestOutcome;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.LocalFolderSource;
import io.tunelab.dataset.SyntheticClips;
import io.tunelab.workflows.model.SampleShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The decode half of {@code bench/c3d-vs-pytorch.sh}: how many 16-frame stacks of 32×32 a clip
 * ingest ({@link ClipIngestor}: decode, resize, cut, split by video, hash) makes per second from
 * H.264 MP4s (JCodec) and from folders of PNG frames, the same generated videos in both forms.
 *
 * <p>Usage: {@code ClipDecodeBenchmark [videosPerClass=20] [frames=64] [threads=2] [folder]}. Last
 * lines: {@code RESULT decode-mp4 STACKS_PER_SECOND} and {@code RESULT decode-frames …}.
 */
public final class ClipDecodeBenchmark {
  private ClipDecodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int videos = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path dir = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("clip-decode");
    SyntheticClips clips = SyntheticClips.fashionMnist(FashionMnistFolders.DEFAULT_DIR, true);
    SyntheticClips.Spec spec =
        new SyntheticClips.Spec(SyntheticClips.SOURCE, videos, frames, 32, 1);
    for (SyntheticClips.Format format : SyntheticClips.Format.values()) {
      Path folder = dir.resolve(format.name().toLowerCase(Locale.ROOT));
      if (!Files.isDirectory(folder)) {
        clips.write(spec, format, folder);
      }
    }
    ClipIngestor.ClipOptions options =
        new ClipIngestor.ClipOptions(
            new IngestOptions(List.of(), 0, 7, SampleShape.clip(1, 16, 32, 32), true), 16);
    ClipIngestor ingestor = new ClipIngestor(threads);
    for (int round = 0; round < 2; round++) {
      for (SyntheticClips.Format format : SyntheticClips.Format.values()) {
        String name = format == SyntheticClips.Format.MP4 ? "decode-mp4" : "decode-frames";
        Path folder = dir.resolve(format.name().toLowerCase(Locale.ROOT));
        long start = System.nanoTime();
        IngestOutcome outcome =
            ingestor.ingest(new LocalFolderSource(folder), options, (done, total) -> {});
        double seconds = (System.nanoTime() - start) / 1e9;
        int stacks = outcome.splits().values().stream().mapToInt(LabeledImages::size).sum();
        System.out.printf(
            Locale.ROOT,
            "%s%s: %d videos -> %d stacks in %.2f s, %d rejected%n",
            round == 0 ? "warm-up " : "",
            name,
            6 * videos,
            stacks,
            seconds,
            outcome.rejected().size());
        if (round > 0) { // the first round warms the JIT up
          System.out.printf(Locale.ROOT, "RESULT %s %.1f%n", name, stacks / seconds);
        }
      }
    }
  }
}
