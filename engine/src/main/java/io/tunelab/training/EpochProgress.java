package io.tunelab.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tunelab.workflows.model.EpochResult;
import java.util.List;

/**
 * An epoch's progress as progress details (activity heartbeats): read by {@code tunelab run
 * --wait}'s bar and shown as they are in Temporal's UI, where {@code text} says it in words.
 *
 * @param arm the arm
 * @param epoch the epoch in flight
 * @param epochs the arm's epoch budget
 * @param step optimisation steps done in this epoch
 * @param steps steps of the epoch
 * @param loss the last step's training loss (NaN before the first)
 * @param text e.g. {@code finetune epoch 4/10 step 120/469 loss 0.412}
 * @param saved the epoch's last in-epoch checkpoint, or {@code null}
 * @param done in an activity of several epochs, the epochs it finished before this one, each
 *     checkpointed: where a retry of the activity continues ({@code null} otherwise)
 */
public record EpochProgress(
    String arm,
    int epoch,
    int epochs,
    int step,
    int steps,
    double loss,
    String text,
    Saved saved,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<EpochResult> done) {
  public static EpochProgress of(
      String arm, int epoch, int epochs, int step, int steps, double loss) {
    String text =
        String.format(
                java.util.Locale.ROOT, "%s epoch %d/%d step %d/%d", arm, epoch, epochs, step, steps)
            + (Double.isFinite(loss)
                ? String.format(java.util.Locale.ROOT, " loss %.3f", loss)
                : "");
    return new EpochProgress(arm, epoch, epochs, step, steps, loss, text, null, null);
  }

  /** The same progress naming the epoch's last in-epoch checkpoint ({@code null}: none). */
  public EpochProgress with(Saved saved) {
    return saved == null
        ? this
        : new EpochProgress(arm, epoch, epochs, step, steps, loss, text, saved, done);
  }

  /** The same progress carrying the epochs its activity finished before this one. */
  public EpochProgress after(List<EpochResult> finished) {
    return new EpochProgress(
        arm, epoch, epochs, step, steps, loss, text, saved, List.copyOf(finished));
  }

  /**
   * The last in-epoch checkpoint of the epoch: where it is and the progress it holds. It is also
   * the epoch's progress record in the bucket, which names the checkpoint a retry continues from.
   *
   * @param key the object holding it
   * @param steps steps done when it was saved
   * @param lossSum sum of the training losses of the examples trained until then
   * @param correct of those, the ones classified correctly
   * @param seen examples trained until then
   * @param startedFrom the checkpoint the epoch started from ({@code null}: the pretrained model or
   *     nothing)
   */
  public record Saved(
      String key, int steps, double lossSum, long correct, int seen, String startedFrom) {}
}
