package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.table.FeatureScaler;
import io.tunelab.table.TableRows;
import io.tunelab.table.TableRowsCodec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table ingest on generated tables through {@link DatasetIngest} and an in-memory bucket: bad
 * rows listed with file and line, one-hot text columns, the refusals that end in exit 2, the
 * stratified and the given splits, the scaler fitted on train only, leaked rows counted, an {@code
 * s3://} source.
 */
class TableIngestTest {
  @TempDir Path home;
  private final InMemoryObjectStore store = new InMemoryObjectStore();

  private DatasetRef ingest(String source, String label, List<String> ignore) {
    DatasetIngest ingest = new DatasetIngest(store, new Ingestor(1), null, (t, a, s) -> null);
    IngestRequest request =
        new IngestRequest(
            source,
            List.of(),
            0,
            7,
            SampleShape.image(1, 28, 28),
            false,
            null,
            label,
            ignore,
            null,
            List.of());
    return ingest.ingest(request, p -> {});
  }

  private DatasetProfile profile(DatasetRef ref) throws Exception {
    return DatasetProfile.fromJson(store.get(ref.profileKey()));
  }

  private TableRows shard(DatasetRef ref, String split) {
    return TableRowsCodec.decode(store.get(ref.shardKeys().get(split)));
  }

  @Test
  void aSingleCsvIsEncodedSplitStratifiedAndBadRowsAreListedWithTheirLine() throws Exception {
    List<String> lines = new ArrayList<>(TestTables.rows(300, 1, 0));
    lines.set(9, lines.get(9).replaceFirst(",[^,]*,", ",,")); // line 11: x0 missing
    lines.set(19, lines.get(19).replaceFirst(",[^,]*,", ",abc,")); // line 21: not a number
    lines.set(29, "1,2,3"); // line 31: too few fields
    lines.set(39, lines.get(39).replaceFirst(",(yes|no)$", ",")); // line 41: no label
    lines.add(40, ""); // a blank line 42 is skipped, not rejected
    lines.add(50, "\"quoted\nid\"," + lines.get(50).substring(lines.get(50).indexOf(',') + 1));
    Path csv = TestTables.write(home.resolve("data.csv"), TestTables.HEADER, lines);

    DatasetRef ref = ingest(csv.toString(), null, List.of("id"));
    DatasetProfile profile = profile(ref);
    assertEquals(SampleShape.table(16), ref.shape());
    assertEquals(List.of("no", "yes"), ref.classes());
    assertEquals(
        List.of(
            new RejectedFile("data.csv:11", "missing value in column 'x0'"),
            new RejectedFile("data.csv:21", "'abc' in column 'x0' is not a number"),
            new RejectedFile("data.csv:31", "has 3 fields, the header has 16"),
            new RejectedFile("data.csv:41", "missing label in column 'label'")),
        profile.rejected());
    assertEquals(4, ref.rejectedCount());
    int total = ref.size("train") + ref.size("val") + ref.size("test");
    assertEquals(297, total);
    for (String split : List.of("val", "test")) {
      assertEquals(0.15, ref.size(split) / (double) total, 0.02, split);
      assertTrue(ref.counts().get(split).values().stream().allMatch(n -> n > 10), split);
    }
    // a row is named by the line it starts on: the quoted two-line cell is on lines 52-53
    TableRows all = shard(ref, "train");
    assertTrue(all.origins().stream().allMatch(o -> o.startsWith("data.csv:")));
    List<String> origins = new ArrayList<>();
    List.of("train", "val", "test").forEach(s -> origins.addAll(shard(ref, s).origins()));
    assertTrue(origins.containsAll(List.of("data.csv:40", "data.csv:43", "data.csv:52")));
    assertTrue(origins.contains("data.csv:54"));
    assertTrue(!origins.contains("data.csv:53") && !origins.contains("data.csv:42"));

    TableStats table = profile.table();
    assertEquals(List.of("colour"), List.copyOf(table.oneHot().keySet()));
    assertEquals(List.of("blue", "green", "red"), table.oneHot().get("colour"));
    assertEquals(
        List.of("colour=blue", "colour=green", "colour=red"), table.features().subList(13, 16));
    assertEquals(table.features(), all.featureNames());
    assertEquals(List.of("id"), table.ignoredColumns());
    assertEquals(1, table.missing().get("data.csv").get("x0"));
    assertEquals(
        ref.size("val"), table.rows().get("val").intValue(), "rows per split in the profile");
    FeatureStats x9 = table.statistics().get("train").get("x9");
    assertEquals(10, x9.sd(), 2.0);
    assertTrue(x9.min() < 0 && x9.max() > 0);
    assertNull(x9.missing());

    // the same file and seed give the same ingest; another seed another split
    assertEquals(ref, ingest(csv.toString(), null, List.of("id")));
    DatasetRef reseeded =
        new DatasetIngest(store, new Ingestor(1), null, (t, a, s) -> null)
            .ingest(
                new IngestRequest(
                    csv.toString(),
                    List.of(),
                    0,
                    8,
                    SampleShape.image(1, 28, 28),
                    false,
                    null,
                    null,
                    List.of("id"),
                    null,
                    List.of()),
                p -> {});
    assertNotEquals(ref.ingestId(), reseeded.ingestId());
    assertNotEquals(shard(ref, "val").origins(), shard(reseeded, "val").origins());
  }

  @Test
  void theScalerIsFittedOnTheTrainingSplitOnly() throws Exception {
    Path csv =
        TestTables.write(home.resolve("t.csv"), TestTables.HEADER, TestTables.rows(200, 2, 0));
    DatasetRef ref = ingest(csv.toString(), "label", List.of("id"));
    FeatureScaler stored = Json.read(store.get(Keys.scaler(ref.ingestId())), FeatureScaler.class);
    TableRows train = shard(ref, "train");
    assertEquals(FeatureScaler.fit(train), stored);
    int f = train.features();
    double sum = 0;
    for (int i = 0; i < train.size(); i++) {
      sum += train.values()[i * f + 4];
    }
    assertEquals(sum / train.size(), stored.mean()[4], 1e-6);
    // val and test are never used: a scaler over every row differs
    List<TableRows> splits = List.of(train, shard(ref, "val"), shard(ref, "test"));
    float[] values = new float[splits.stream().mapToInt(r -> r.values().length).sum()];
    int[] labels = new int[splits.stream().mapToInt(TableRows::size).sum()];
    List<String> origins = new ArrayList<>();
    int v = 0;
    int l = 0;
    for (TableRows r : splits) {
      System.arraycopy(r.values(), 0, values, v, r.values().length);
      System.arraycopy(r.labels(), 0, labels, l, r.size());
      v += r.values().length;
      l += r.size();
      origins.addAll(r.origins());
    }
    FeatureScaler everything =
        FeatureScaler.fit(new TableRows(train.featureNames(), values, labels, origins));
    assertNotEquals(everything, stored);
    float[] scaled = stored.apply(train);
    double mean = 0;
    for (int i = 0; i < train.size(); i++) {
      mean += scaled[i * f + 4];
    }
    assertEquals(0, mean / train.size(), 1e-5);
  }

  @Test
  void givenSplitsAreKeptLeakedRowsCountedAndTestCarvedWhenMissing() throws Exception {
    Path folder = home.resolve("splits");
    List<String> train = TestTables.rows(120, 3, 0);
    List<String> val = new ArrayList<>(TestTables.rows(30, 4, 1000));
    List<String> test = TestTables.rows(25, 5, 2000);
    // a val row with train's first row's features (another id, which is ignored) leaks
    val.add(train.get(0).replaceFirst("^0,", "9999,"));
    TestTables.write(folder.resolve("train.csv"), TestTables.HEADER, train);
    TestTables.write(folder.resolve("val.csv"), TestTables.HEADER, val);
    TestTables.write(folder.resolve("test.csv"), TestTables.HEADER, test);
    DatasetRef ref = ingest(folder.toString(), null, List.of("id"));
    assertEquals(120, ref.size("train"));
    assertEquals(31, ref.size("val"));
    assertEquals(25, ref.size("test"));
    assertEquals(1, ref.duplicatesAcrossSplits());
    DatasetProfile profile = profile(ref);
    assertEquals("train.csv:2", profile.duplicatePairs().get(0).first());
    assertEquals("val.csv:32", profile.duplicatePairs().get(0).second());
    assertEquals("splits", profile.layout());
    assertEquals(0, profile.table().statistics().get("val").get("x0").missing());

    Files.delete(folder.resolve("test.csv"));
    DatasetRef carved = ingest(folder.toString(), null, List.of("id"));
    assertEquals(31, carved.size("val"));
    assertEquals(120, carved.size("train") + carved.size("test"));
    assertEquals(18, carved.size("test"), "15% of each class of train.csv");
    assertTrue(profile(carved).testCarvedFromTrain());
    assertTrue(shard(carved, "test").origins().stream().allMatch(o -> o.startsWith("train.csv:")));
  }

  @Test
  void mistakesTheUserMustFixAreRefusedNamingFileAndColumn() throws Exception {
    Path folder = home.resolve("mismatch");
    TestTables.write(folder.resolve("train.csv"), TestTables.HEADER, TestTables.rows(20, 1, 0));
    TestTables.write(
        folder.resolve("val.csv"),
        TestTables.HEADER.replace("x1,", "z1,"),
        TestTables.rows(20, 2, 0));
    assertRefused(folder.toString(), null, "val.csv's header differs from train.csv's", "x1", "z1");

    Path table =
        TestTables.write(home.resolve("t.csv"), TestTables.HEADER, TestTables.rows(20, 1, 0));
    assertRefused(table.toString(), "nosuch", "t.csv has no label column 'nosuch'");
    assertRefused(table.toString(), null, "t.csv has no column 'ident' to ignore", "ident");

    Path header = TestTables.write(home.resolve("empty.csv"), TestTables.HEADER, List.of());
    assertRefused(header.toString(), null, "empty.csv is empty");
    Files.write(home.resolve("nothing.csv"), new byte[0]);
    assertRefused(home.resolve("nothing.csv").toString(), null, "nothing.csv is empty");

    List<String> yes =
        TestTables.rows(30, 1, 0).stream().map(r -> r.replaceAll("no$", "yes")).toList();
    Path single = TestTables.write(home.resolve("one.csv"), TestTables.HEADER, yes);
    assertRefused(single.toString(), null, "one.csv", "'label'", "single class [yes]");

    List<String> names = new ArrayList<>();
    int i = 0;
    for (String row : TestTables.rows(80, 1, 0)) {
      names.add(row.replaceFirst(",(red|green|blue),", ",name" + i++ + ","));
    }
    Path wide = TestTables.write(home.resolve("names.csv"), TestTables.HEADER, names);
    assertRefused(wide.toString(), null, "names.csv", "text column 'colour'", "more than 50");
  }

  @Test
  void aTableWhoseColumnsAreNotThePretrainedModelsIsRefusedNamingThem() throws Exception {
    Path table =
        TestTables.write(home.resolve("t.csv"), TestTables.HEADER, TestTables.rows(60, 1, 0));
    List<String> model =
        List.of(
            "x0",
            "x1",
            "x2",
            "x3",
            "x4",
            "x5",
            "x6",
            "x7",
            "x8",
            "x9",
            "n0",
            "n1",
            "z2",
            "colour=blue",
            "colour=green",
            "colour=red");
    DatasetIngest ingest = new DatasetIngest(store, new Ingestor(1), null, (t, a, s) -> null);
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> ingest.ingest(request(table, SampleShape.table(16), model), p -> {}));
    assertTrue(
        e.getMessage()
            .contains(
                "t.csv: its feature columns differ from those the pretrained model was trained on: "
                    + "the model's [z2] missing, [n2] not among the model's"),
        e.getMessage());

    // The same columns in another order, and a model that kept no names but takes 15 features.
    List<String> reordered = new ArrayList<>(model);
    reordered.set(12, "n2");
    java.util.Collections.swap(reordered, 0, 1);
    e =
        assertThrows(
            BadInputException.class,
            () -> ingest.ingest(request(table, SampleShape.table(16), reordered), p -> {}));
    assertTrue(e.getMessage().contains("the same columns in another order"), e.getMessage());
    e =
        assertThrows(
            BadInputException.class,
            () -> ingest.ingest(request(table, SampleShape.table(15), List.of()), p -> {}));
    assertTrue(e.getMessage().contains("t.csv has 16 feature columns"), e.getMessage());
    assertTrue(e.getMessage().contains("the pretrained model takes 15"), e.getMessage());

    // The model's own columns are accepted.
    List<String> same = new ArrayList<>(reordered);
    java.util.Collections.swap(same, 0, 1);
    DatasetRef ref = ingest.ingest(request(table, SampleShape.table(16), same), p -> {});
    assertEquals(16, ref.shape().features());
  }

  private static IngestRequest request(Path table, SampleShape shape, List<String> features) {
    return new IngestRequest(
        table.toString(), List.of(), 0, 7, shape, false, null, null, List.of("id"), null, features);
  }

  private void assertRefused(String source, String label, String... words) {
    BadInputException e =
        assertThrows(BadInputException.class, () -> ingest(source, label, wordsIgnore(words)));
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), e.getMessage() + " should name " + w);
    }
  }

  private static List<String> wordsIgnore(String... words) {
    return words[0].contains("'ident'") ? List.of("ident") : List.of("id");
  }

  @Test
  void anS3SourceIsReadThroughTheBucket() throws Exception {
    List<String> all = new ArrayList<>();
    all.add(TestTables.HEADER);
    all.addAll(TestTables.rows(100, 6, 0));
    byte[] csv = String.join("\n", all).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    store.put("uploads/tables/data.csv", csv);
    DatasetRef single = ingest("s3://" + store.bucket() + "/uploads/tables/data.csv", null, null);
    assertEquals(SampleKind.TABLE, single.shape().kind());
    assertEquals(SampleShape.table(17), single.shape(), "the id column is a feature here");

    store.put("uploads/split/train.csv", csv);
    store.put("uploads/split/val.csv", csv);
    DatasetRef split = ingest("s3://" + store.bucket() + "/uploads/split", null, List.of("id"));
    assertEquals(100, split.size("val"));
    assertEquals(100, split.duplicatesAcrossSplits());
    assertArrayEquals(shard(split, "val").row(0), shard(split, "val").row(0), "shards decode");
  }

  @Test
  void aPushedTableIsAVersionThatIngestsAsATable() throws Exception {
    Path csv =
        TestTables.write(home.resolve("rows.csv"), TestTables.HEADER, TestTables.rows(90, 8, 0));
    DatasetPusher.Outcome pushed =
        new DatasetPusher(store, new Ingestor(1))
            .pushTable(
                TableFiles.open(csv.toString(), store),
                new TableOptions(null, List.of("id"), 0, 0),
                "rows",
                new DatasetPusher.Listener() {});
    assertTrue(pushed.uploaded());
    assertEquals(1, pushed.files());
    String prefix = Keys.datasetVersion("rows", pushed.version());
    assertArrayEquals(Files.readAllBytes(csv), store.get(prefix + "rows.csv"));
    DatasetRef ref = ingest("s3://" + store.bucket() + "/" + prefix, null, List.of("id"));
    assertEquals(SampleShape.table(16), ref.shape());
    assertEquals(90, ref.size("train") + ref.size("val") + ref.size("test"));
  }
}
