package io.tunelab.workflows;

import io.temporal.failure.ApplicationFailure;
import io.tunelab.workflows.activities.DatasetActivities;
import io.tunelab.workflows.activities.RegistryActivities;
import io.tunelab.workflows.activities.ReportActivities;
import io.tunelab.workflows.activities.TrainingActivities;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.EvaluationTask;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.RegisterRequest;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TestMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scripted activities for workflow-logic tests: validation losses per arm are planted, every call
 * is recorded. Only the workflow's decisions are under test here.
 */
final class FakeActivities {
  static final SampleShape SHAPE = SampleShape.image(1, 28, 28);

  final Map<String, double[]> valLosses = new ConcurrentHashMap<>();
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<EpochTask> epochTasks = Collections.synchronizedList(new ArrayList<>());

  /** Per arm, the validation loss of the epoch 0 its first epoch returns ({@code start}). */
  final java.util.Map<String, Double> startLosses = new java.util.concurrent.ConcurrentHashMap<>();

  final List<EvaluationTask> evaluations = Collections.synchronizedList(new ArrayList<>());
  final List<RunState> reports = Collections.synchronizedList(new ArrayList<>());
  volatile String ingestError;

  /** Arms whose epochs wait for a permit each before they train: tests decide when epochs end. */
  final Map<String, java.util.concurrent.Semaphore> gates = new ConcurrentHashMap<>();

  /** The shape of the samples the fake ingest reports. */
  volatile SampleShape shape = SHAPE;

  static DatasetRef dataset() {
    return dataset(SHAPE);
  }

  static DatasetRef dataset(SampleShape shape) {
    return new DatasetRef(
        "abc123",
        "ingests/abc123/manifest.json",
        "ingests/abc123/profile.json",
        Map.of(
            "train",
            "ingests/abc123/shards/train.bin",
            "val",
            "ingests/abc123/shards/val.bin",
            "test",
            "ingests/abc123/shards/test.bin"),
        List.of("a", "b"),
        shape,
        Map.of(
            "train",
            Map.of("a", 100, "b", 100),
            "val",
            Map.of("a", 20, "b", 20),
            "test",
            Map.of("a", 20, "b", 20)),
        0,
        0,
        null);
  }

  class Dataset implements DatasetActivities {
    @Override
    public DatasetRef ingest(IngestRequest request) {
      calls.add("ingest " + request.source());
      if (ingestError != null) {
        throw ApplicationFailure.newNonRetryableFailure(ingestError, ActivityStubs.BAD_INPUT);
      }
      return dataset(shape);
    }
  }

  class Registry implements RegistryActivities {
    @Override
    public ModelInfo describe(String name) {
      calls.add("describe " + name);
      return new ModelInfo(
          name,
          1,
          shape.kind() == io.tunelab.workflows.model.SampleKind.TABLE ? "mlp" : "cnn",
          shape,
          List.of("x", "y", "z"),
          "models/" + name + "/v1/checkpoint.bin",
          "src",
          0.9,
          "pre-1",
          List.of());
    }

    @Override
    public ModelInfo register(RegisterRequest request) {
      calls.add("register " + request.name() + " " + request.checkpointKey());
      return new ModelInfo(
          request.name(),
          1,
          request.architecture(),
          request.shape(),
          request.classes(),
          "models/" + request.name() + "/v1/checkpoint.bin",
          request.sourceIngestId(),
          request.testAccuracy(),
          request.sourceRunId(),
          List.of());
    }
  }

  class Training implements TrainingActivities {
    @Override
    public EpochResult trainEpoch(EpochTask task) {
      epochTasks.add(task);
      java.util.concurrent.Semaphore gate = gates.get(task.arm().arm().wire());
      if (gate != null) {
        try {
          if (!gate.tryAcquire(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                "no permit for " + task.arm().arm().wire() + " epoch " + task.epoch());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      double[] losses =
          valLosses.getOrDefault(task.arm().arm().wire(), new double[] {1, 0.8, 0.6, 0.5, 0.45});
      double val = losses[Math.min(task.epoch() - 1, losses.length - 1)];
      double trainLoss = Double.isNaN(val) ? Double.NaN : 1.0 / task.epoch();
      Integer continuedAt = continuedAtStep.get(task.arm().arm().wire() + "/" + task.epoch());
      Double start = task.epoch() == 1 ? startLosses.get(task.arm().arm().wire()) : null;
      return new EpochResult(
          new EpochMetrics(
              task.epoch(),
              trainLoss,
              0.5 + task.epoch() * 0.05,
              val,
              0.5 + task.epoch() * 0.04,
              task.learningRate(),
              1.5),
          "runs/" + task.arm().runId() + "/" + task.arm().arm().wire() + "/epoch-" + task.epoch(),
          continuedAt == null ? null : task.epoch() - 1,
          null,
          continuedAt,
          start == null ? null : new EpochMetrics(0, 0.3, 0.9, start, 0.88, 0, 0.2));
    }

    /**
     * Epochs back to back, {@link #epochsPerActivity} at most (the engine's time budget), with the
     * engine's stops.
     */
    @Override
    public io.tunelab.workflows.model.EpochsResult trainEpochs(
        io.tunelab.workflows.model.EpochsTask task) {
      epochsTasks.add(task);
      io.tunelab.workflows.model.TrainingParams params = task.first().arm().params();
      List<EpochResult> done = new ArrayList<>();
      List<EpochMetrics> history = new ArrayList<>(task.history());
      io.tunelab.workflows.model.BestEpoch best = task.best();
      EpochTask next = task.first();
      while (true) {
        EpochResult r = trainEpoch(next);
        done.add(r);
        EpochMetrics m = r.metrics();
        if (m.diverged() || m.epoch() >= params.epochs()) {
          break;
        }
        best = best.after(m, params);
        if (best.patienceExhausted(m.epoch(), params) || done.size() >= epochsPerActivity) {
          break;
        }
        history.add(m);
        next =
            new EpochTask(
                next.arm(),
                next.dataset(),
                m.epoch() + 1,
                io.tunelab.workflows.model.LearningRateSchedule.forEpoch(
                    params, m.epoch() + 1, history),
                r.checkpointKey(),
                null);
      }
      return new io.tunelab.workflows.model.EpochsResult(done);
    }

    @Override
    public TestMetrics evaluate(EvaluationTask task) {
      evaluations.add(task);
      double acc = task.arm().arm().wire().equals("finetune") ? 0.9 : 0.8;
      return new TestMetrics(0.3, acc, task.checkpointKey() + "/pred");
    }
  }

  /** The activities of several epochs the workflows asked for. */
  final List<io.tunelab.workflows.model.EpochsTask> epochsTasks =
      Collections.synchronizedList(new ArrayList<>());

  /** How many epochs one activity of several trains at most. */
  volatile int epochsPerActivity = 3;

  /** "arm/epoch" to the step an epoch's attempt continued from (an in-epoch checkpoint). */
  final java.util.Map<String, Integer> continuedAtStep =
      new java.util.concurrent.ConcurrentHashMap<>();

  final List<String> probeRuns = Collections.synchronizedList(new ArrayList<>());

  class Probe implements io.tunelab.workflows.activities.ProbeActivities {
    @Override
    public String probe(io.tunelab.workflows.model.ProbeTask task) {
      probeRuns.add(task.finetune().runId() + " " + task.fineTunedCheckpointKey());
      return "nothing";
    }
  }

  class Reports implements ReportActivities {
    @Override
    public Comparison compare(TestMetrics finetune, TestMetrics scratch) {
      calls.add("compare");
      return new Comparison("finetune", finetune.acc() - scratch.acc(), 0.001, 12, 2);
    }

    @Override
    public List<Finding> diagnose(RunState state) {
      calls.add("diagnose");
      return List.of(new Finding("healthy", "info", "data", "fine", "none", "none"));
    }

    @Override
    public String writeReport(RunState state) {
      reports.add(state);
      return "runs/" + state.runId() + "/report.json";
    }

    @Override
    public void finishRun(String runId, RunStatus status) {
      calls.add("finish " + status);
    }
  }

  Object[] all() {
    return new Object[] {new Dataset(), new Registry(), new Reports()};
  }
}
