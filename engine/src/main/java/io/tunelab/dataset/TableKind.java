package io.tunelab.dataset;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.SampleKind;
import java.util.List;
import java.util.Optional;

/**
 * A table's rows, read from CSV files by the {@link TableIngestor} rather than one sample per file:
 * a file here is a whole CSV, each row its own split group, never augmented, taken by the dense
 * network {@code mlp}. Domain shift compares per-feature statistics (the profile's {@link
 * TableStats}), not one pixel summary, so it has no {@link SourceStats}.
 */
public final class TableKind extends OwnIngestKind {
  /** The one instance: it holds no state. */
  public static final TableKind INSTANCE = new TableKind();

  private TableKind() {
    super("a table's rows are read by the table ingest", List.of("mlp"));
  }

  @Override
  public String fileProblem(String fileName) {
    return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
        ? null
        : "not a CSV file (a table is read from .csv files)";
  }

  @Override
  public Augmenter augmenter(Augment recipe) {
    return Augmenter.NONE;
  }

  @Override
  public Optional<SourceStats> sourceStats(DatasetProfile profile) {
    return Optional.empty();
  }

  @Override
  public SampleKind kind() {
    return SampleKind.TABLE;
  }
}
