package io.tunelab.workflows;

import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.SweepMember;
import io.tunelab.workflows.model.SweepSpec;
import io.tunelab.workflows.model.WatchSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What makes a run legible in Temporal's web UI and searchable with its visibility queries: the
 * memo and typed search attributes a run starts with (dataset, dataset version, pretrained model,
 * trigger) and the best validation accuracy per arm, upserted as epochs finish.
 *
 * <p>Custom search attributes must be registered on the namespace before a workflow may carry them
 * ({@code temporal operator search-attribute create}); the CLI registers {@link #KEYS} itself where
 * it may, and a run started without them carries the memo only. A workflow upserts its accuracies
 * only when it started with the attributes, so a namespace without them never sees an upsert it
 * would reject.
 */
public final class Visibility {
  public static final SearchAttributeKey<String> KIND =
      SearchAttributeKey.forKeyword("TunelabKind");
  public static final SearchAttributeKey<String> DATASET =
      SearchAttributeKey.forKeyword("TunelabDataset");
  public static final SearchAttributeKey<String> DATASET_VERSION =
      SearchAttributeKey.forKeyword("TunelabDatasetVersion");
  public static final SearchAttributeKey<String> PRETRAINED =
      SearchAttributeKey.forKeyword("TunelabPretrained");
  public static final SearchAttributeKey<String> TRIGGER =
      SearchAttributeKey.forKeyword("TunelabTrigger");
  public static final SearchAttributeKey<Double> FINETUNE_BEST_VAL_ACC =
      SearchAttributeKey.forDouble("TunelabFinetuneBestValAcc");
  public static final SearchAttributeKey<Double> SCRATCH_BEST_VAL_ACC =
      SearchAttributeKey.forDouble("TunelabScratchBestValAcc");
  public static final SearchAttributeKey<Double> PRETRAIN_BEST_VAL_ACC =
      SearchAttributeKey.forDouble("TunelabPretrainBestValAcc");

  /** The sweep a run is a member of: {@code TunelabSweep="ID"} lists a sweep's members. */
  public static final SearchAttributeKey<String> SWEEP =
      SearchAttributeKey.forKeyword("TunelabSweep");

  /** Every custom search attribute tunelab uses, to register on a namespace. */
  public static final List<SearchAttributeKey<?>> KEYS =
      List.of(
          KIND,
          DATASET,
          DATASET_VERSION,
          PRETRAINED,
          TRIGGER,
          FINETUNE_BEST_VAL_ACC,
          SCRATCH_BEST_VAL_ACC,
          PRETRAIN_BEST_VAL_ACC,
          SWEEP);

  /** Workflow.getVersion change id of the search-attribute upserts and current details. */
  static final String CHANGE_ID = "visibility";

  private Visibility() {}

  /** The best-validation-accuracy attribute of an arm. */
  public static SearchAttributeKey<Double> bestValAcc(Arm arm) {
    return switch (arm) {
      case FINETUNE -> FINETUNE_BEST_VAL_ACC;
      case SCRATCH -> SCRATCH_BEST_VAL_ACC;
      case PRETRAIN -> PRETRAIN_BEST_VAL_ACC;
    };
  }

  /** Search attributes an experiment starts with. */
  public static SearchAttributes atStart(ExperimentSpec spec) {
    SearchAttributes.Builder b =
        SearchAttributes.newBuilder()
            .set(KIND, "experiment")
            .set(DATASET, datasetName(spec))
            .set(PRETRAINED, spec.pretrained())
            .set(TRIGGER, spec.trigger());
    if (spec.datasetVersion() != null) {
      b.set(DATASET_VERSION, spec.datasetVersion());
    }
    return b.build();
  }

  /** Search attributes a sweep's member starts with: an experiment's, and the sweep's id. */
  public static SearchAttributes atStart(ExperimentSpec spec, String sweepId) {
    return SearchAttributes.newBuilder(atStart(spec)).set(SWEEP, sweepId).build();
  }

  /** Search attributes a sweep starts with (its own id as {@link #SWEEP} too). */
  public static SearchAttributes atStart(SweepSpec spec) {
    ExperimentSpec base = spec.base();
    return SearchAttributes.newBuilder()
        .set(KIND, "sweep")
        .set(DATASET, datasetName(base))
        .set(PRETRAINED, base.pretrained())
        .set(TRIGGER, base.trigger())
        .set(SWEEP, spec.sweepId())
        .build();
  }

  /** The memo of a sweep: what it varies, over which seeds, on what. */
  public static Map<String, Object> memo(SweepSpec spec) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("kind", "sweep");
    memo.put("dataset", datasetName(spec.base()));
    memo.put("source", spec.base().source());
    memo.put("pretrained", spec.base().pretrained());
    memo.put("vary", spec.vary());
    memo.put("seeds", spec.seeds());
    memo.put("configs", spec.configs().size());
    memo.put("members", spec.configs().size() * spec.seeds().size());
    memo.put("maxParallel", spec.maxParallel());
    return memo;
  }

  /** One line for the UI's list: what the sweep varies and how many runs that makes. */
  public static String summary(SweepSpec spec) {
    StringBuilder vary = new StringBuilder();
    spec.vary()
        .forEach(
            (flag, values) ->
                vary.append(vary.length() == 0 ? "" : " × ")
                    .append(flag)
                    .append('=')
                    .append(String.join(",", values)));
    return "sweep "
        + vary
        + " × "
        + spec.seeds().size()
        + (spec.seeds().size() == 1 ? " seed" : " seeds")
        + " ("
        + spec.configs().size() * spec.seeds().size()
        + " runs) fine-tuning "
        + spec.base().pretrained()
        + " on "
        + datasetName(spec.base());
  }

  /** The memo of a sweep's member: an experiment's, with its sweep, config and values. */
  public static Map<String, Object> memo(ExperimentSpec spec, SweepSpec sweep, SweepMember member) {
    Map<String, Object> memo = memo(spec);
    memo.put("sweep", sweep.sweepId());
    memo.put("config", member.config());
    memo.put("values", sweep.config(member.config()).values());
    memo.put("seed", member.seed());
    return memo;
  }

  /** One line for the UI's list of a sweep's member. */
  public static String summary(SweepSpec sweep, SweepMember member) {
    return "sweep "
        + sweep.sweepId()
        + " config "
        + member.config()
        + " ("
        + sweep.config(member.config()).label()
        + ") seed "
        + member.seed();
  }

  /** Search attributes a pretraining run starts with. */
  public static SearchAttributes atStart(PretrainSpec spec) {
    return SearchAttributes.newBuilder()
        .set(KIND, "pretrain")
        .set(DATASET, spec.source())
        .set(TRIGGER, "cli")
        .build();
  }

  /**
   * Search attributes a watcher starts with: {@code TunelabKind="watcher"} lists the watchers, and
   * the dataset and model tie one to the runs it starts.
   */
  public static SearchAttributes atStart(WatchSpec spec) {
    return SearchAttributes.newBuilder()
        .set(KIND, "watcher")
        .set(DATASET, spec.datasetName())
        .set(PRETRAINED, spec.model())
        .set(TRIGGER, "cli")
        .build();
  }

  /** The memo of a watcher: what it watches, what its runs fine-tune, how often it looks. */
  public static Map<String, Object> memo(WatchSpec spec) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("kind", "watcher");
    memo.put("dataset", spec.datasetName());
    memo.put("pretrained", spec.model());
    memo.put("trigger", "cli");
    memo.put("epochs", spec.finetune().epochs());
    memo.put("scratchBaseline", spec.scratch());
    memo.put("pollMillis", spec.pollMillis());
    return memo;
  }

  /** One line for the UI's list of a watcher. */
  public static String summary(WatchSpec spec) {
    return "watch dataset "
        + spec.datasetName()
        + ": fine-tune "
        + spec.model()
        + (spec.scratch() ? " vs scratch" : "")
        + " on every new version, "
        + spec.finetune().epochs()
        + " epochs";
  }

  /** The memo of an experiment: what the UI shows on the run's page, registered or not. */
  public static Map<String, Object> memo(ExperimentSpec spec) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("kind", "experiment");
    memo.put("dataset", datasetName(spec));
    if (spec.datasetVersion() != null) {
      memo.put("datasetVersion", spec.datasetVersion());
    }
    memo.put("source", spec.source());
    memo.put("pretrained", spec.pretrained());
    memo.put("trigger", spec.trigger());
    memo.put("epochs", spec.finetune().epochs());
    memo.put("scratchBaseline", spec.scratch());
    return memo;
  }

  /** The memo of a pretraining run. */
  public static Map<String, Object> memo(PretrainSpec spec) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("kind", "pretrain");
    memo.put("dataset", spec.source());
    memo.put("source", spec.source());
    memo.put("registersModel", spec.name());
    memo.put("architecture", spec.architecture());
    memo.put("trigger", "cli");
    memo.put("epochs", spec.params().epochs());
    return memo;
  }

  /** One line for the UI's run list: what the run compares, on what. */
  public static String summary(ExperimentSpec spec) {
    return "fine-tune "
        + spec.pretrained()
        + (spec.scratch() ? " vs scratch" : "")
        + " on "
        + datasetName(spec)
        + (spec.datasetVersion() == null ? "" : " " + spec.datasetVersion())
        + ", "
        + spec.finetune().epochs()
        + " epochs ("
        + spec.trigger()
        + ")";
  }

  /** One line for the UI's run list of a pretraining run. */
  public static String summary(PretrainSpec spec) {
    return "pretrain "
        + spec.architecture()
        + " on "
        + spec.source()
        + " as "
        + spec.name()
        + ", "
        + spec.params().epochs()
        + " epochs";
  }

  /**
   * The summary of an epoch's training activity, such as {@code finetune epoch 4/10 (epoch 3
   * val_acc 0.910, best 0.912)}.
   */
  static String epochSummary(String arm, int epoch, int epochs, List<EpochMetrics> done) {
    String s = arm + " epoch " + epoch + "/" + epochs;
    if (done.isEmpty()) {
      return s;
    }
    EpochMetrics last = done.get(done.size() - 1);
    return s
        + String.format(
            Locale.ROOT,
            " (epoch %d val_acc %.3f, best %.3f)",
            last.epoch(),
            last.valAcc(),
            bestValAcc(done));
  }

  /** The summary of an arm's test evaluation. */
  static String evaluationSummary(String arm, EpochMetrics best) {
    return String.format(
        Locale.ROOT, "%s test of epoch %d (val_acc %.3f)", arm, best.epoch(), best.valAcc());
  }

  /**
   * The highest validation accuracy of any trained epoch (not epoch 0), or NaN before the first.
   */
  static double bestValAcc(List<EpochMetrics> epochs) {
    double best = Double.NaN;
    for (EpochMetrics m : epochs) {
      if (m.epoch() >= 1 && Double.isFinite(m.valAcc()) && !(m.valAcc() <= best)) {
        best = m.valAcc();
      }
    }
    return best;
  }

  private static String datasetName(ExperimentSpec spec) {
    return spec.datasetName() == null ? spec.source() : spec.datasetName();
  }
}
