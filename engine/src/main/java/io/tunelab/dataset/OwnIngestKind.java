package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.util.List;

/**
 * A kind whose samples are not one to a file (a table's rows, a video's stacks): its own ingest
 * reads them, so the per-file steps of the image ingest refuse a file and keep the shape asked for.
 */
abstract class OwnIngestKind implements DataKind {
  private final String readBy;
  private final List<String> architectures;

  /**
   * @param readBy why a file is not read alone, e.g. "a video is read by the clip ingest"
   * @param architectures the networks that take the kind's samples
   */
  OwnIngestKind(String readBy, List<String> architectures) {
    this.readBy = readBy;
    this.architectures = List.copyOf(architectures);
  }

  @Override
  public List<String> architectures() {
    return architectures;
  }

  @Override
  public DecodeResult read(SourceFile file, SampleShape target) {
    return DecodeResult.rejected(readBy + ", not one sample per file");
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
}
