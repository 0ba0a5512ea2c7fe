package io.tunelab.dataset;

import io.tunelab.progress.Progress;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.S3ObjectStore;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests a source into the bucket, over {@link Ingestor}: opens the source (a folder of images on
 * the worker, a folder of MNIST-style idx files ({@link IdxSource}), or an {@code s3://} prefix),
 * reports progress, and stores shards, manifest and profile, with the small {@code ref.json}
 * written last. An ingest whose content id is already stored is reused; so is one whose source
 * fingerprint ({@link Ingestor#fingerprint}: the files' bytes and the options) led to a stored
 * ingest before, without decoding anything: a record under {@code ingest-sources/} names it,
 * written after its {@code ref.json}. It also stores a preview grid of augmented training images
 * for the run's policy and seed ({@link Preview}) and returns its key with the reference.
 *
 * <p>A table source (a {@code .csv} file, or a folder or prefix holding {@code train.csv}, see
 * {@link TableFiles}) is ingested by {@link TableIngest} instead.
 */
public final class DatasetIngest {
  private static final Logger log = LoggerFactory.getLogger(DatasetIngest.class);

  private final ObjectStore store;
  private final Ingestor ingestor;
  private final ShardCache shards;
  private final Preview preview;
  private final ClipIngestor clipIngestor = new ClipIngestor();

  /**
   * Draws the grid of augmented training images stored beside an ingest (training's
   * AugmentationPreview: it draws them as the trainer augments them).
   */
  @FunctionalInterface
  public interface Preview {
    /** The grid of {@code train}'s images augmented by {@code augmenter}, as PNG bytes. */
    byte[] png(LabeledImages train, Augmenter augmenter, long seed);
  }

  /**
   * An ingest that also leaves the splits it stored in {@code shards} ({@code null}: none), the
   * training's cache in the same worker, so the first epoch there does not read them back.
   */
  public DatasetIngest(ObjectStore store, Ingestor ingestor, ShardCache shards, Preview preview) {
    this.store = store;
    this.ingestor = ingestor;
    this.shards = shards;
    this.preview = preview;
  }

  /** Leaves the splits, as stored under this content id, in the worker's shard cache. */
  private void remember(String id, IngestOutcome outcome) {
    if (shards != null) {
      outcome.splits().forEach((split, images) -> shards.put(Keys.shard(id, split), images));
    }
  }

  /**
   * Ingests the request's source, or reuses the stored ingest of the same content or of the same
   * files and options, reporting {@link IngestStage}s to {@code progress}.
   *
   * @throws BadInputException when the source cannot be ingested as given
   */
  public DatasetRef ingest(IngestRequest request, Progress progress) {
    TableFiles table;
    try {
      table = TableFiles.open(request.source(), store);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading " + request.source() + " failed: " + e.getMessage(), e);
    }
    if (table != null) {
      return new TableIngest(store).ingest(table, request, progress);
    }
    ImageSource source = open(request.source());
    if (clips(source, request)) {
      return ingestClips(source, request, progress);
    }
    IngestOptions options = IngestOptions.from(request);
    String fingerprint;
    try {
      fingerprint =
          ingestor.fingerprint(
              source,
              options,
              (done, total) -> progress.report(new IngestStage("hashing", done, total)));
      DatasetRef known = fingerprint == null ? null : ingestedFrom(fingerprint);
      if (known != null) {
        log.info(
            "ingest {} of {}: its files and options were ingested before; reusing it",
            known.ingestId(),
            request.source());
        return known.withAugmentedSamples(
            preview(known.ingestId(), () -> shard(known.shardKeys().get("train")), request));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading " + request.source() + " failed: " + e.getMessage(), e);
    }
    IngestOutcome outcome;
    try {
      outcome =
          ingestor.ingest(
              source,
              options,
              (done, total) -> progress.report(new IngestStage("ingest", done, total)));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading " + request.source() + " failed: " + e.getMessage(), e);
    }
    String id = outcome.contentId();
    String previewKey = preview(id, () -> outcome.split("train"), request);
    try {
      DatasetRef existing = Json.read(store.get(Keys.ingestRef(id)), DatasetRef.class);
      if (complete(existing)) {
        log.info("ingest {} of {} already stored; reusing it", id, request.source());
        remember(id, outcome);
        rememberSource(fingerprint, id);
        return existing.withAugmentedSamples(previewKey);
      }
    } catch (ObjectNotFoundException e) {
      // first ingest of this content
    }
    DatasetRef ref = store(outcome, request.source());
    rememberSource(fingerprint, id);
    return ref.withAugmentedSamples(previewKey);
  }

  /**
   * Whether a source is read as video clips: the request is for a clip model or names clip flags,
   * or the source holds videos or folders of frames ({@link ClipIngestor#holdsClips}).
   */
  private static boolean clips(ImageSource source, IngestRequest request) {
    if (request.shape().kind() == SampleKind.CLIP || request.clips() != null) {
      return true;
    }
    try {
      return ClipIngestor.holdsClips(source.files());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading " + request.source() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Ingests a source of video clips ({@link ClipIngestor}), or reuses the stored ingest of the same
   * content id, known from the files' bytes before any video is decoded. It has no preview of
   * augmented samples.
   *
   * @throws BadInputException when the run's pretrained model takes images
   */
  private DatasetRef ingestClips(ImageSource source, IngestRequest request, Progress progress) {
    if (request.shape().kind() == SampleKind.IMAGE && !request.detectChannels()) {
      throw new BadInputException(
          request.source()
              + " holds video clips, but the pretrained model takes images ("
              + request.shape()
              + "): fine-tune a clip model (pretrain --model c3d)");
    }
    ClipIngestor.ClipOptions options = ClipIngestor.ClipOptions.from(request);
    try {
      String id =
          clipIngestor.contentId(
              source,
              options,
              (done, total) -> progress.report(new IngestStage("hashing", done, total)));
      try {
        DatasetRef existing = Json.read(store.get(Keys.ingestRef(id)), DatasetRef.class);
        if (complete(existing)) {
          log.info("ingest {} of {} already stored; reusing it", id, request.source());
          return existing;
        }
      } catch (ObjectNotFoundException e) {
        // first ingest of this content
      }
      IngestOutcome outcome =
          clipIngestor.ingest(
              source,
              options,
              (done, total) -> progress.report(new IngestStage("ingest", done, total)));
      return store(outcome, request.source());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading " + request.source() + " failed: " + e.getMessage(), e);
    }
  }

  /** Stores an outcome's shards, manifest and profile, then its reference, and returns that. */
  private DatasetRef store(IngestOutcome outcome, String source) {
    String id = outcome.contentId();
    Map<String, String> shardKeys = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    for (Map.Entry<String, LabeledImages> split : outcome.splits().entrySet()) {
      String key = Keys.shard(id, split.getKey());
      store.put(key, ShardCodec.encode(split.getValue()));
      shardKeys.put(split.getKey(), key);
      counts.put(split.getKey(), countByClass(split.getValue(), outcome.classes()));
    }
    store.put(Keys.manifest(id), outcome.manifestJson(), "application/json");
    store.put(Keys.profile(id), Json.bytes(outcome.profile()), "application/json");
    LabeledImages train = outcome.splits().get("train");
    DatasetRef ref =
        storeRef(
            store,
            id,
            shardKeys,
            outcome.classes(),
            train.shape(),
            counts,
            outcome.profile().rejected().size(),
            outcome.profile().duplicatesAcrossSplits());
    remember(id, outcome);
    log.info("ingested {}: {}", source, counts(ref));
    return ref;
  }

  /** What an ingest logs of its result: classes, the splits' sizes and the rejected count. */
  static String counts(DatasetRef ref) {
    return ref.classes().size()
        + " classes, train "
        + ref.size("train")
        + " val "
        + ref.size("val")
        + " test "
        + ref.size("test")
        + ", "
        + ref.rejectedCount()
        + " rejected";
  }

  /** The record of a source fingerprint. */
  record SourceRecord(String ingestId) {}

  /**
   * The stored ingest a source fingerprint led to, or {@code null} when there is none, or its
   * record or reference is missing or unreadable (the source is then ingested again).
   */
  private DatasetRef ingestedFrom(String fingerprint) {
    try {
      String id =
          Json.read(store.get(Keys.ingestSource(fingerprint)), SourceRecord.class).ingestId();
      DatasetRef ref = Json.read(store.get(Keys.ingestRef(id)), DatasetRef.class);
      return complete(ref) ? ref : null;
    } catch (ObjectNotFoundException e) {
      return null;
    } catch (RuntimeException e) {
      log.warn(
          "source record {} unusable ({}); ingesting again",
          Keys.ingestSource(fingerprint),
          e.getMessage());
      return null;
    }
  }

  /**
   * Whether every object a stored ingest's reference names is still in the bucket (someone may have
   * deleted part of it); an incomplete one is written again rather than reused.
   */
  private boolean complete(DatasetRef ref) {
    List<String> keys = new ArrayList<>(ref.shardKeys().values());
    keys.add(ref.manifestKey());
    keys.add(ref.profileKey());
    for (String key : keys) {
      if (!store.exists(key)) {
        log.warn("stored ingest {} lacks {}; ingesting again", ref.ingestId(), key);
        return false;
      }
    }
    return true;
  }

  /** Records which stored ingest the fingerprint's source gave (nothing when it had none). */
  private void rememberSource(String fingerprint, String id) {
    if (fingerprint != null) {
      store.put(
          Keys.ingestSource(fingerprint), Json.bytes(new SourceRecord(id)), "application/json");
    }
  }

  /** A stored split, from the worker's shard cache when it holds it. */
  private LabeledImages shard(String key) {
    if (shards != null) {
      return shards.get(key);
    }
    try {
      return ShardCodec.decode(store.get(key));
    } catch (IOException e) {
      throw new UncheckedIOException("shard " + key + " is unreadable: " + e.getMessage(), e);
    }
  }

  /**
   * Stores the grid of augmented training images for the request's policy and seed (once per
   * ingest, policy and seed) and returns its key.
   */
  private String preview(
      String ingestId, java.util.function.Supplier<LabeledImages> train, IngestRequest request) {
    String key = Keys.augmentedSamples(ingestId, request.augment(), request.seed());
    if (!store.exists(key)) {
      store.put(
          key,
          preview.png(
              train.get(),
              DataKind.of(request.shape()).augmenter(request.augment()),
              request.seed()),
          "image/png");
    }
    return key;
  }

  private ImageSource open(String uri) {
    if (uri.startsWith("s3://")) {
      return S3PrefixSource.parse(S3ObjectStore.clientOf(store), uri);
    }
    Path folder = Path.of(uri);
    return IdxSource.holdsIdx(folder) ? new IdxSource(folder) : new LocalFolderSource(folder);
  }

  private static Map<String, Integer> countByClass(LabeledImages images, List<String> classes) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String c : classes) {
      counts.put(c, 0);
    }
    for (int label : images.labels()) {
      counts.merge(classes.get(label), 1, Integer::sum);
    }
    return counts;
  }

  /** Stores and returns the reference to an ingest whose manifest and profile are stored. */
  static DatasetRef storeRef(
      ObjectStore store,
      String id,
      Map<String, String> shardKeys,
      List<String> classes,
      SampleShape shape,
      Map<String, Map<String, Integer>> counts,
      int rejected,
      int duplicatesAcrossSplits) {
    DatasetRef ref =
        new DatasetRef(
            id,
            Keys.manifest(id),
            Keys.profile(id),
            shardKeys,
            classes,
            shape,
            counts,
            rejected,
            duplicatesAcrossSplits,
            null);
    store.put(Keys.ingestRef(id), Json.bytes(ref), "application/json");
    return ref;
  }
}
