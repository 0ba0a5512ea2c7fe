package io.tunelab.sweep;

import java.util.List;

/** One rule of the sweep diagnosis: looks at the whole sweep and returns its findings, if any. */
interface SweepRule {
  List<SweepFinding> apply(SweepAnalysis sweep);
}
