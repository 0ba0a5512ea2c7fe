package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.table.TableRows;
import io.tunelab.table.TableRowsCodec;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a unit test (it writes a 200 MB CSV): the table ingest streams, so its heap is
 * bounded by the encoded rows and not by the text. Run it with {@code -Dtunelab.tableMemory=true
 * -DargLine=-Xmx320m -Dtest=TableIngestMemoryTest}; it prints the heap's peak and passes when the
 * ingest (and encoding its shards) fits the limit.
 */
@EnabledIfSystemProperty(named = "tunelab.tableMemory", matches = "true")
class TableIngestMemoryTest {
  @TempDir Path home;

  @Test
  void aTwoHundredMegabyteCsvIngestsInABoundedHeap() throws Exception {
    Path csv = home.resolve("big.csv");
    Random rng = new Random(1);
    try (BufferedWriter out = Files.newBufferedWriter(csv)) {
      out.write("f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,f10,f11,colour,label\n");
      while (Files.size(csv) < 200L << 20) {
        for (int r = 0; r < 10_000; r++) {
          double score = 0;
          for (int j = 0; j < 12; j++) {
            double x = rng.nextGaussian() * 1000;
            score += j < 10 ? x : 0;
            out.write(String.format(Locale.ROOT, "%.3f,", x));
          }
          out.write(rng.nextBoolean() ? "red," : "blue,");
          out.write(score > 0 ? "yes\n" : "no\n");
        }
        out.flush();
      }
    }
    long bytes = Files.size(csv);
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    long start = System.nanoTime();
    TableOutcome outcome =
        TableIngestor.ingest(
            TableFiles.single(
                csv.toString(), new SourceFile("big.csv", bytes, () -> Files.newInputStream(csv))),
            TableOptions.of(1));
    long shardBytes = 0;
    for (TableRows rows : outcome.splits().values()) {
      shardBytes += TableRowsCodec.encode(rows).length;
    }
    long peak =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .mapToLong(p -> p.getPeakUsage().getUsed())
            .sum();
    int rows = outcome.splits().values().stream().mapToInt(TableRows::size).sum();
    System.out.printf(
        Locale.ROOT,
        "table memory: %d MB CSV, %d rows x %d features, shards %d MB, peak heap %d MB"
            + " (sum of the heap pools' peaks, an upper bound; the heap's limit -Xmx: %d MB),"
            + " %.1f s%n",
        bytes >> 20,
        rows,
        outcome.shape().features(),
        shardBytes >> 20,
        peak >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        (System.nanoTime() - start) / 1e9);
    assertTrue(rows > 1_000_000, "the table is read whole within the heap's limit");
  }
}
