package io.tunelab.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.tunelab.activities.ChampionActivitiesImpl;
import io.tunelab.activities.DatasetActivitiesImpl;
import io.tunelab.activities.ProbeActivitiesImpl;
import io.tunelab.activities.RegistryActivitiesImpl;
import io.tunelab.activities.ReportActivitiesImpl;
import io.tunelab.activities.SweepActivitiesImpl;
import io.tunelab.activities.TrainingActivitiesImpl;
import io.tunelab.activities.WatchActivitiesImpl;
import io.tunelab.dataset.DatasetIngest;
import io.tunelab.dataset.Ingestor;
import io.tunelab.dataset.ShardCache;
import io.tunelab.evaluation.ArmEvaluations;
import io.tunelab.evaluation.ChampionChallenge;
import io.tunelab.evaluation.Evaluator;
import io.tunelab.registry.ModelRegistry;
import io.tunelab.report.Reports;
import io.tunelab.runs.RunRecords;
import io.tunelab.runs.RunRecovery;
import io.tunelab.runs.SweepMembers;
import io.tunelab.runs.WatchedVersions;
import io.tunelab.storage.ObjectStore;
import io.tunelab.sweep.SweepReports;
import io.tunelab.training.ArmEpochs;
import io.tunelab.training.AugmentationPreview;
import io.tunelab.training.EpochTrainer;
import io.tunelab.training.LiveModels;
import io.tunelab.training.NativeLog;
import io.tunelab.training.NativeMemory;
import io.tunelab.training.ProbeEvidence;
import io.tunelab.training.Probes;
import io.tunelab.training.TorchThread;
import io.tunelab.workflows.ExperimentWorkflowImpl;
import io.tunelab.workflows.PretrainWorkflowImpl;
import io.tunelab.workflows.SweepWorkflowImpl;
import io.tunelab.workflows.WatcherWorkflowImpl;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tunelab worker: workflows and I/O activities on the task queue, training activities on its
 * training queue (or, on a GPU worker, on the GPU training queue that {@code --device gpu} runs
 * train on). Start as many as there are machines; they share the queues.
 */
public final class TunelabWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TunelabWorker.class);

  private final WorkerFactory factory;

  private TunelabWorker(WorkerFactory factory) {
    this.factory = factory;
  }

  /** Registers everything and starts polling. */
  public static TunelabWorker start(
      WorkflowClient client, String taskQueue, ObjectStore store, WorkerSettings settings) {
    // libtorch reads TORCH_CPP_LOG_LEVEL only under Python; without this every worker prints a
    // deprecation warning DJL's native code triggers, which says nothing about the user's run
    NativeLog.apply(System.getenv("TORCH_CPP_LOG_LEVEL"));
    // glibc would hand each step's freed tensors back to the kernel and fault them in again
    if (NativeMemory.keepFreedMemory(System.getenv())) {
      log.debug("malloc keeps freed memory for the next training step");
    }
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker main =
        factory.newWorker(
            taskQueue,
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(settings.ioSlots())
                // No sticky execution: Temporal's test server never moves a workflow task off a
                // dead worker's sticky queue, so a killed worker would strand its workflows. Our
                // histories are a few dozen events per epoch, so replaying them on every task
                // costs nothing.
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
                .build());
    main.registerWorkflowImplementationTypes(
        ExperimentWorkflowImpl.class,
        PretrainWorkflowImpl.class,
        WatcherWorkflowImpl.class,
        SweepWorkflowImpl.class);
    RunRecords records = new RunRecords(store);
    // One cache for both queues: the ingest leaves its splits where the first epoch looks.
    ShardCache shards = new ShardCache(store, settings.shardCacheEntries());
    main.registerActivitiesImplementations(
        new DatasetActivitiesImpl(
            new DatasetIngest(store, new Ingestor(), shards, AugmentationPreview::png)),
        new RegistryActivitiesImpl(new ModelRegistry(store)),
        new ReportActivitiesImpl(new Reports(store), records),
        new WatchActivitiesImpl(new WatchedVersions(store), client),
        new SweepActivitiesImpl(
            new SweepMembers(records, new RunRecovery(store), Clock.systemUTC()),
            new SweepReports(store)));

    // libtorch runs on one thread of the process, whatever the number of training slots.
    TorchThread torch = TorchThread.shared();
    // The models of the last epochs, kept alive for the next epoch of their arm on this worker.
    LiveModels live = new LiveModels(LiveModels.DEFAULT_CAPACITY);
    TrainingActivitiesImpl trainingActivities =
        new TrainingActivitiesImpl(
            new ArmEpochs(store, shards, new EpochTrainer(), torch, live, Duration.ofSeconds(1)),
            new ArmEvaluations(store, shards, new Evaluator(), torch, live));
    ProbeActivitiesImpl probes =
        new ProbeActivitiesImpl(
            new ProbeEvidence(store, shards, new Probes(new EpochTrainer()), torch));
    ChampionActivitiesImpl champions =
        new ChampionActivitiesImpl(new ChampionChallenge(store, shards, new Evaluator(), torch));
    List<String> trainingQueues = settings.trainingQueues(taskQueue);
    for (String queue : trainingQueues) {
      Worker training =
          factory.newWorker(
              queue,
              WorkerOptions.newBuilder()
                  .setMaxConcurrentActivityExecutionSize(settings.trainingSlots())
                  .build());
      training.registerActivitiesImplementations(trainingActivities, probes, champions);
    }
    factory.start();
    log.info("worker polling {} and {}", taskQueue, trainingQueues);
    return new TunelabWorker(factory);
  }

  /** Stops polling and waits briefly for running activities to notice. */
  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
