package io.tunelab.dataset;

import io.tunelab.dataset.TableSchema.Column;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second pass over a table's file: it encodes each row by the {@link TableSchema} (numbers as
 * read, text one-hot) into a {@link RowBuffer}, and rejects a row it cannot read (wrong number of
 * fields, a missing label or value, a value that is not a number in a numeric column) with the
 * reason, listed as {@code FILE.csv:LINE}.
 *
 * @param rows the accepted rows
 * @param rejected the rejected rows, in line order
 * @param missing column to the number of rows rejected because that column's value was missing
 */
record TableEncoder(RowBuffer rows, List<RejectedFile> rejected, Map<String, Integer> missing) {

  /** Reads and encodes one file. */
  static TableEncoder encode(SourceFile file, TableSchema schema) throws IOException {
    List<String> names = schema.featureNames();
    RowBuffer rows = new RowBuffer(file.path(), names.size());
    List<RejectedFile> rejected = new ArrayList<>();
    Map<String, Integer> missing = new LinkedHashMap<>();
    try (InputStream in = file.open();
        CsvRows csv = new CsvRows(file.path(), in)) {
      List<String> header = csv.header();
      int labelAt = header.indexOf(schema.label());
      int[] at = schema.columns().stream().map(Column::name).mapToInt(header::indexOf).toArray();
      float[] row = new float[names.size()];
      Map<String, Integer> classIndex = new HashMap<>();
      schema.classes().forEach(c -> classIndex.put(c, classIndex.size()));
      for (CsvRows.Row r = csv.next(); r != null; r = csv.next()) {
        String problem = encode(r.cells(), header.size(), labelAt, at, schema, row, missing);
        if (problem != null) {
          rejected.add(new RejectedFile(file.path() + ":" + r.line(), problem));
        } else {
          rows.add(row, classIndex.get(r.cells().get(labelAt)), r.line());
        }
      }
    }
    return new TableEncoder(rows, rejected, missing);
  }

  /** Fills {@code row} from the cells, or says why the row cannot be read. */
  private static String encode(
      List<String> cells,
      int fields,
      int labelAt,
      int[] at,
      TableSchema schema,
      float[] row,
      Map<String, Integer> missing) {
    if (cells.size() != fields) {
      return "has " + cells.size() + " fields, the header has " + fields;
    }
    String label = cells.get(labelAt);
    if (CsvRows.missing(label)) {
      missing.merge(schema.label(), 1, Integer::sum);
      return "missing label in column '" + schema.label() + "'";
    }
    if (!schema.classes().contains(label)) {
      return "unknown class '" + label + "' in column '" + schema.label() + "'";
    }
    int f = 0;
    for (int c = 0; c < at.length; c++) {
      Column column = schema.columns().get(c);
      String cell = cells.get(at[c]);
      if (CsvRows.missing(cell)) {
        missing.merge(column.name(), 1, Integer::sum);
        return "missing value in column '" + column.name() + "'";
      }
      if (column.numeric()) {
        Double v = CsvRows.number(cell);
        if (v == null) {
          return "'" + cell + "' in column '" + column.name() + "' is not a number";
        }
        row[f++] = v.floatValue();
      } else {
        int k = column.categories().indexOf(cell);
        if (k < 0) {
          return "unknown category '" + cell + "' in column '" + column.name() + "'";
        }
        for (int j = 0; j < column.categories().size(); j++) {
          row[f++] = j == k ? 1f : 0f;
        }
      }
    }
    return null;
  }
}
