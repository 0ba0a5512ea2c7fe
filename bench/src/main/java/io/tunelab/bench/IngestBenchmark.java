package io.tunelab.bench;

import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.ImageSource;
import io.tunelab.dataset.IngestOptions;
import io.tunelab.dataset.IngestOutcome;
import io.tunelab.dataset.IngestProgress;
import io.tunelab.dataset.Ingestor;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.LocalFolderSource;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures ingest throughput on real files: exports N Fashion-MNIST training images as PNG class
 * folders to a temporary folder, ingests them once to warm up, then once on one thread and once on
 * every processor, and prints both rates and their ratio; then, for information, how fast the
 * source fingerprint that lets a re-ingest of unchanged files skip decoding is computed (twice).
 * Usage: {@code IngestBenchmark [N=10000] [shape=1x28x28] [idx folder]}.
 */
public final class IngestBenchmark {
  private IngestBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    SampleShape shape = args.length > 1 ? parseShape(args[1]) : SampleShape.image(1, 28, 28);
    Path idx = args.length > 2 ? Path.of(args[2]) : FashionMnistFolders.DEFAULT_DIR;
    int threads = Runtime.getRuntime().availableProcessors();

    LabeledImages train = FashionMnistFolders.read(idx, true);
    Path dir = Files.createTempDirectory("tunelab-ingest-bench");
    try {
      int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
      int written = FashionMnistFolders.export(train, labels, (n + 9) / 10, 1, dir).size();
      ImageSource source = new LocalFolderSource(dir);
      IngestOptions options = IngestOptions.of(shape, 1);
      new Ingestor(threads).ingest(source, options, IngestProgress.NONE).profile();

      double single = rate(new Ingestor(1), source, options, written, "ingest-single-thread");
      double parallel = rate(new Ingestor(threads), source, options, written, "ingest");
      // What a re-ingest of unchanged files costs: the fingerprint that finds the stored ingest.
      for (int round = 0; round < 2; round++) {
        long start = System.nanoTime();
        String fingerprint =
            new Ingestor(threads).fingerprint(source, options, IngestProgress.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "fingerprint (a re-ingest of unchanged files): %d files in "
                + "%.2f s = %.0f files/s, %.1fx the ingest's rate (%s...)%n",
            written,
            seconds,
            written / seconds,
            written / seconds / parallel,
            fingerprint.substring(0, 12));
      }
      System.out.printf(Locale.ROOT, "threads: %d, shape: %s%n", threads, shape);
      System.out.printf(Locale.ROOT, "ingest-throughput: ratio %.2f%n", parallel / single);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double rate(
      Ingestor ingestor, ImageSource source, IngestOptions options, int count, String label)
      throws IOException {
    long start = System.nanoTime();
    IngestOutcome outcome = ingestor.ingest(source, options, IngestProgress.NONE);
    // a first ingest of this content: its profile and manifest are made and stored too
    outcome.profile();
    outcome.manifestJson();
    double seconds = (System.nanoTime() - start) / 1e9;
    int images =
        outcome.profile().size("train")
            + outcome.profile().size("val")
            + outcome.profile().size("test");
    if (images != count) {
      throw new IllegalStateException("ingested " + images + " of " + count + " images");
    }
    double perSecond = count / seconds;
    System.out.printf(
        Locale.ROOT, "%s: %d images in %.2f s = %.0f images/s%n", label, count, seconds, perSecond);
    return perSecond;
  }

  private static SampleShape parseShape(String text) {
    String[] parts = text.split("x");
    return SampleShape.image(
        Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
  }
}
