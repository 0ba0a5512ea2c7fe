package io.tunelab.dataset;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.util.List;
import java.util.Optional;

/**
 * A table's rows, read from CSV files by the {@link TableIngestor} rather than one sample per file:
 * a file here is a whole CSV, each row its own split group, never augmented, taken by the dense
 * network {@code mlp}. Domain shift compares per-feature statistics (the profile's {@link
 * TableStats}), not one pixel summary, so it has no {@link SourceStats}.
 */
public final class TableKind implements DataKind {
  /** The one instance: it holds no state. */
  public static final TableKind INSTANCE = new TableKind();

  private static final List<String> ARCHITECTURES = List.of("mlp");

  private TableKind() {}

  @Override
  public String fileProblem(String fileName) {
    return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
        ? null
        : "not a CSV file (a table is read from .csv files)";
  }

  /** A table's file holds many rows: {@link TableIngestor} reads it, not this per-sample read. */
  @Override
  public DecodeResult read(SourceFile file, SampleShape target) {
    return DecodeResult.rejected("a table's rows are read by the table ingest, not one per file");
  }

  @Override
  public String contentIdentity(SourceFile file) {
    return null;
  }

  @Override
  public SampleShape storedShape(
      SampleShape requested, boolean detectChannels, List<DecodedImage> samples) {
    return requested;
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
  public List<String> architectures() {
    return ARCHITECTURES;
  }

  @Override
  public SampleKind kind() {
    return SampleKind.TABLE;
  }
}
