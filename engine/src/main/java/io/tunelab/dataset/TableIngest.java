package io.tunelab.dataset;

import io.tunelab.progress.Progress;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.table.TableRows;
import io.tunelab.table.TableRowsCodec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests a table source into the bucket for {@link DatasetIngest}: each split's encoded rows
 * ({@link TableRowsCodec}) at the shard keys images use, the training split's {@code scaler.json},
 * the manifest and the profile, and {@code ref.json} last. An ingest whose content id (the files'
 * bytes and the options, from the first streaming pass) is already stored is reused without
 * encoding the rows.
 */
final class TableIngest {
  private static final Logger log = LoggerFactory.getLogger(TableIngest.class);

  private final ObjectStore store;

  TableIngest(ObjectStore store) {
    this.store = store;
  }

  /**
   * Ingests the table, or reuses its stored ingest.
   *
   * @throws BadInputException when the files cannot be ingested as given
   */
  DatasetRef ingest(TableFiles files, IngestRequest request, Progress progress) {
    TableOptions options = TableOptions.from(request);
    try {
      progress.report(new IngestStage("ingest", 0, 2));
      TableScan scan = TableScan.of(files, options);
      requireFeatures(files, request, scan.schema().featureNames());
      String id = TableIngestor.contentId(files, options, scan);
      DatasetRef stored = stored(id);
      if (stored != null) {
        log.info("ingest {} of {} already stored; reusing it", id, files.describe());
        progress.report(new IngestStage("ingest", 2, 2));
        return stored;
      }
      progress.report(new IngestStage("ingest", 1, 2));
      TableOutcome outcome = TableIngestor.ingest(files, options, scan);
      DatasetRef ref = store(outcome);
      progress.report(new IngestStage("ingest", 2, 2));
      log.info(
          "ingested table {}: {} features, {} (rows)",
          files.describe(),
          ref.shape().features(),
          DatasetIngest.counts(ref));
      return ref;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading " + files.describe() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a table whose feature columns are not those of the pretrained table model the request
   * is for, naming those that differ; for a model registered without its feature names, a table
   * with another number of features.
   *
   * @throws BadInputException when they differ, in name or order
   */
  static void requireFeatures(TableFiles files, IngestRequest request, List<String> actual) {
    List<String> expected = request.features();
    SampleShape model = request.shape();
    if (expected.isEmpty()
        && model.kind() == SampleKind.TABLE
        && model.features() != actual.size()) {
      throw new BadInputException(
          files.describe()
              + " has "
              + actual.size()
              + " feature columns "
              + actual
              + ", but the pretrained model takes "
              + model.features());
    }
    if (expected.isEmpty() || expected.equals(actual)) {
      return;
    }
    ColumnDifference difference = ColumnDifference.of(expected, actual);
    Set<String> missing = difference.missing();
    Set<String> extra = difference.extra();
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add("the model's " + missing + " missing");
    }
    if (!extra.isEmpty()) {
      parts.add(extra + " not among the model's");
    }
    if (parts.isEmpty()) {
      parts.add("the same columns in another order " + actual + " than the model's " + expected);
    }
    throw new BadInputException(
        files.describe()
            + ": its feature columns differ from those the pretrained model was trained on: "
            + String.join(", ", parts)
            + " (a table fine-tunes a model pretrained on the same feature columns; use "
            + "--ignore-columns or another pretrained model)");
  }

  /** Stores an outcome's shards, scaler, manifest and profile, then its reference. */
  DatasetRef store(TableOutcome outcome) {
    String id = outcome.contentId();
    Map<String, String> shardKeys = new LinkedHashMap<>();
    for (Map.Entry<String, TableRows> split : outcome.splits().entrySet()) {
      String key = Keys.shard(id, split.getKey());
      store.put(key, TableRowsCodec.encode(split.getValue()));
      shardKeys.put(split.getKey(), key);
    }
    store.put(Keys.scaler(id), Json.bytes(outcome.scaler()), "application/json");
    store.put(Keys.manifest(id), outcome.manifestJson(), "application/json");
    store.put(Keys.profile(id), outcome.profile().toJson(), "application/json");
    return DatasetIngest.storeRef(
        store,
        id,
        shardKeys,
        outcome.classes(),
        outcome.shape(),
        outcome.profile().counts(),
        outcome.profile().rejected().size(),
        outcome.profile().duplicatesAcrossSplits());
  }

  /** The stored ingest of this content id when every object it names is there, else null. */
  private DatasetRef stored(String id) {
    DatasetRef ref;
    try {
      ref = Json.read(store.get(Keys.ingestRef(id)), DatasetRef.class);
    } catch (ObjectNotFoundException e) {
      return null;
    }
    List<String> keys =
        new java.util.ArrayList<>(
            List.of(ref.manifestKey(), ref.profileKey(), Keys.scaler(ref.ingestId())));
    keys.addAll(ref.shardKeys().values());
    return keys.stream().allMatch(store::exists) ? ref : null;
  }
}
