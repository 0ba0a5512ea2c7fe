package io.tunelab.dataset;

import io.tunelab.table.FeatureScaler;
import io.tunelab.table.TableRows;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a table source (CSV files) into train, val and test splits of encoded rows with a scaler, a
 * profile and a content id. It reads each file twice, streaming: {@link TableScan} decides the
 * columns, {@link TableEncoder} encodes the rows, rejecting those it cannot read with their line,
 * so memory holds the encoded rows and never the text. {@link TableSplit} splits them as images are
 * split, the scaler is fitted on the training split only, and {@link TableDuplicates} counts rows
 * leaked across splits.
 */
public final class TableIngestor {
  /** Changes when the ingest's output for the same input changes; part of the content id. */
  static final String FORMAT = "tunelab-table/1";

  private TableIngestor() {}

  /**
   * The content id an ingest of these files would get, from one streaming pass.
   *
   * @throws BadInputException when the files cannot be ingested as given
   */
  public static String contentId(TableFiles files, TableOptions options) throws IOException {
    return contentId(files, options, TableScan.of(files, options));
  }

  /**
   * Ingests the files.
   *
   * @throws BadInputException when the files cannot be ingested as given
   * @throws IOException when a file cannot be read
   */
  public static TableOutcome ingest(TableFiles files, TableOptions options) throws IOException {
    return ingest(files, options, TableScan.of(files, options));
  }

  /** Ingests the files with the result of their first pass. */
  static TableOutcome ingest(TableFiles files, TableOptions options, TableScan scan)
      throws IOException {
    TableSchema schema = scan.schema();
    List<RowBuffer> buffers = new ArrayList<>();
    List<RejectedFile> rejected = new ArrayList<>();
    Map<String, Map<String, Integer>> missing = new LinkedHashMap<>();
    for (SourceFile file : files.files()) {
      TableEncoder encoded = TableEncoder.encode(file, schema);
      if (encoded.rows().size() == 0) {
        throw new BadInputException(
            file.path()
                + " has no readable row: "
                + encoded.rejected().size()
                + " rejected, the first because it "
                + encoded.rejected().get(0).reason());
      }
      buffers.add(encoded.rows());
      rejected.addAll(encoded.rejected());
      missing.put(file.path(), encoded.missing());
    }
    List<TableRows> splits = TableSplit.of(buffers, files.splitLayout(), schema, options);
    int[] readPerClass = new int[schema.classes().size()];
    for (RowBuffer b : buffers) {
      for (int i = 0; i < b.size(); i++) {
        readPerClass[b.label(i)]++;
      }
    }
    buffers.clear(); // the splits hold copies of the rows: let the buffers go
    String id = contentId(files, options, scan);
    Map<String, TableRows> named = new LinkedHashMap<>();
    for (int s = 0; s < splits.size(); s++) {
      named.put(StratifiedSplit.name(s), splits.get(s));
    }
    DatasetProfile profile =
        TableProfiler.profile(files, schema, readPerClass, named, rejected, missing);
    return new TableOutcome(
        id, schema.classes(), named, FeatureScaler.fit(named.get("train")), profile);
  }

  /** The content id of the files' first pass. */
  static String contentId(TableFiles files, TableOptions options, TableScan scan) {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    text.append("layout=").append(files.splitLayout() ? "splits" : "file").append('\n');
    text.append("label=").append(scan.schema().label()).append('\n');
    text.append("ignore=").append(String.join(",", options.ignoreColumns())).append('\n');
    text.append("seed=").append(options.seed()).append('\n');
    text.append("perClass=").append(options.perClass()).append('\n');
    for (int i = 0; i < files.files().size(); i++) {
      text.append(files.files().get(i).path()).append('\t').append(scan.sha256().get(i));
      text.append('\n');
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The shape of a row of these features. */
  static SampleShape shape(TableSchema schema) {
    return SampleShape.table(schema.featureNames().size());
  }
}
