package io.tunelab.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.MemberStart;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.TrainingParams;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A sweep's members are recorded once and never started twice. */
class SweepMembersTest {
  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final RunRecords records = new RunRecords(store);
  private final SweepMembers members =
      new SweepMembers(
          records,
          new RunRecovery(store),
          Clock.fixed(Instant.parse("2026-12-06T05:00:00Z"), ZoneOffset.UTC));

  private static ExperimentSpec experiment(String runId) {
    return ExperimentSpec.builder()
        .runId(runId)
        .source("/data/x")
        .pretrained("m")
        .finetune(
            TrainingParams.builder()
                .epochs(3)
                .batchSize(8)
                .learningRate(0.01)
                .seed(42)
                .device(Device.CPU)
                .build())
        .scratchLearningRate(0.01)
        .build();
  }

  @Test
  void aNewMemberIsRecordedWithItsSweepAndStarts() {
    ExperimentSpec spec = experiment("sw-c1-s42");
    MemberStart start = members.prepare("sw", spec);

    assertTrue(start.starts());
    assertSame(spec, start.experiment());
    RunRecord record = records.find("sw-c1-s42").orElseThrow();
    assertEquals("sw", record.sweep());
    assertEquals(RunStatus.RUNNING, record.status());
    assertEquals("experiment", record.kind());
    assertEquals("2026-12-06T05:00:00Z", record.startedAt());
  }

  @Test
  void aRetriedPrepareStartsTheSameMemberFromItsStart() {
    ExperimentSpec spec = experiment("sw-c1-s42");
    members.prepare("sw", spec);
    MemberStart again = members.prepare("sw", spec);

    assertTrue(again.starts());
    assertNull(again.experiment().resume(), "nothing trained yet: from the source");
    assertEquals(1, records.all().size());
  }

  @Test
  void anEndedMemberIsNotStartedAgain() {
    ExperimentSpec spec = experiment("sw-c2-s42");
    members.prepare("sw", spec);
    records.finish("sw-c2-s42", RunStatus.FAILED);

    MemberStart start = members.prepare("sw", spec);

    assertFalse(start.starts());
    assertEquals(RunStatus.FAILED, start.ended());
  }
}
