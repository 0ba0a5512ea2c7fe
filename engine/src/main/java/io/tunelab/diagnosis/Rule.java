package io.tunelab.diagnosis;

import io.tunelab.workflows.model.Finding;
import java.util.List;

/** One family of diagnosis rules: adds its findings, or nothing when its evidence is absent. */
interface Rule {
  void apply(DiagnosisContext context, List<Finding> findings);
}
