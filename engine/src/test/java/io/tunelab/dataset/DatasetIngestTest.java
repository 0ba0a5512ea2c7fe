package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.ObjectStore;
import io.tunelab.training.FashionMnist;
import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.SampleShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest without Temporal: it reports its stages as {@link IngestStage}s, stores the preview it
 * is given once, reuses a source it ingested before without reading it again, and says what is
 * wrong with a source that cannot be ingested. An in-memory bucket.
 */
class DatasetIngestTest {
  @TempDir Path home;

  @Test
  void reportsItsStagesStoresThePreviewAndReusesTheSource() throws Exception {
    Path folder = home.resolve("data");
    FashionMnistFolders.export(FashionMnist.train(), new int[] {0, 1, 7}, 40, 3, folder);
    ObjectStore store = new InMemoryObjectStore();
    byte[] grid = {1, 2, 3};
    AtomicInteger drawn = new AtomicInteger();
    DatasetIngest ingest =
        new DatasetIngest(
            store,
            new Ingestor(),
            null,
            (train, augmenter, seed) -> {
              drawn.incrementAndGet();
              return grid;
            });
    IngestRequest request =
        new IngestRequest(
            folder.toString(),
            List.of(),
            0,
            7,
            SampleShape.image(1, 28, 28),
            false,
            Augment.LIGHT,
            null,
            null,
            null,
            List.of());

    List<Object> first = new ArrayList<>();
    DatasetRef ref = ingest.ingest(request, first::add);
    assertEquals(3, ref.classes().size());
    assertArrayEquals(grid, store.get(ref.augmentedSamplesKey()));
    IngestStage last = assertInstanceOf(IngestStage.class, first.get(first.size() - 1));
    assertEquals("ingest", last.stage());
    assertEquals(last.total(), last.done());
    assertTrue(first.stream().anyMatch(p -> ((IngestStage) p).stage().equals("hashing")));

    List<Object> again = new ArrayList<>();
    DatasetRef reused = ingest.ingest(request, again::add);
    assertEquals(ref.ingestId(), reused.ingestId());
    assertEquals(ref.augmentedSamplesKey(), reused.augmentedSamplesKey());
    assertTrue(
        again.stream().allMatch(p -> ((IngestStage) p).stage().equals("hashing")),
        "the source's files are hashed, not read and decoded again");
    assertEquals(1, drawn.get(), "the preview is stored once per ingest, policy and seed");

    assertThrows(
        BadInputException.class,
        () ->
            ingest.ingest(
                new IngestRequest(
                    home.resolve("absent").toString(),
                    List.of(),
                    0,
                    7,
                    SampleShape.image(1, 28, 28),
                    false,
                    Augment.NONE,
                    null,
                    null,
                    null,
                    List.of()),
                p -> {}));
  }
}
