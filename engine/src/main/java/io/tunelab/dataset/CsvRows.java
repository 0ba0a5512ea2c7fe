package io.tunelab.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams one CSV file (RFC 4180 quoting, via Apache Commons CSV) record by record with the line
 * each record starts on, so that memory does not grow with the file and a bad row can be named
 * {@code FILE.csv:LINE}. The first record is the header. Blank lines are skipped.
 */
final class CsvRows implements AutoCloseable {
  /** Values that stand for a missing cell (compared trimmed and ignoring case). */
  private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "?");

  private final String file;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final List<String> header;
  private long consumedLines;

  /** One record after the header: the line it starts on and its cells, trimmed. */
  record Row(int line, List<String> cells) {}

  /**
   * Opens a file and reads its header.
   *
   * @throws BadInputException when the file is empty or its header names a column twice or leaves
   *     one unnamed
   */
  CsvRows(String file, InputStream in) throws IOException {
    this.file = file;
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    this.parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get().parse(reader);
    this.records = parser.iterator();
    List<String> head = null;
    while (head == null && records.hasNext()) {
      List<String> cells = cells(records.next());
      consumedLines = parser.getCurrentLineNumber();
      if (!blank(cells)) {
        head = cells;
      }
    }
    if (head == null) {
      close();
      throw new BadInputException(file + " is empty: it has no header row");
    }
    if (!head.isEmpty() && head.get(0).startsWith("\uFEFF")) {
      head.set(0, head.get(0).substring(1));
    }
    for (int i = 0; i < head.size(); i++) {
      if (head.get(i).isEmpty()) {
        close();
        throw new BadInputException(file + ": column " + (i + 1) + " of the header has no name");
      }
      if (head.indexOf(head.get(i)) != i) {
        close();
        throw new BadInputException(file + ": the header names column '" + head.get(i) + "' twice");
      }
    }
    this.header = List.copyOf(head);
  }

  /** The column names of the header. */
  List<String> header() {
    return header;
  }

  /** The next non-blank record, or {@code null} at the end of the file. */
  Row next() throws IOException {
    try {
      while (records.hasNext()) {
        int line = (int) consumedLines + 1;
        List<String> cells = cells(records.next());
        consumedLines = parser.getCurrentLineNumber();
        if (!blank(cells)) {
          return new Row(line, cells);
        }
      }
      return null;
    } catch (java.io.UncheckedIOException e) {
      throw new BadInputException(
          file + " near line " + (consumedLines + 1) + " is not valid CSV: " + e.getMessage());
    }
  }

  /** Whether a cell stands for a missing value. */
  static boolean missing(String cell) {
    return MISSING.contains(cell.toLowerCase(Locale.ROOT));
  }

  /** The cell as a finite number, or {@code null} when it is not one. */
  static Double number(String cell) {
    try {
      double v = Double.parseDouble(cell);
      return Double.isFinite(v) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static List<String> cells(CSVRecord record) {
    List<String> cells = new ArrayList<>(record.size());
    for (String v : record) {
      cells.add(v.trim());
    }
    return cells;
  }

  private static boolean blank(List<String> cells) {
    return cells.size() == 1 && cells.get(0).isEmpty();
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
