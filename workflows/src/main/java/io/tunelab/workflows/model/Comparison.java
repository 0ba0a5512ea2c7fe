package io.tunelab.workflows.model;

/**
 * Fine-tune arm against scratch arm on the same test images.
 *
 * @param winner {@code finetune}, {@code scratch} or {@code tie}
 * @param testAccDelta fine-tune test accuracy minus scratch test accuracy
 * @param pValue two-sided exact McNemar p-value on the paired test predictions
 * @param finetuneOnlyCorrect test images only the fine-tuned model got right
 * @param scratchOnlyCorrect test images only the scratch model got right
 */
public record Comparison(
    String winner,
    double testAccDelta,
    double pValue,
    int finetuneOnlyCorrect,
    int scratchOnlyCorrect) {
  public Comparison {
    Choices.requireOneOf("winner", winner, "finetune", "scratch", "tie");
  }
}
