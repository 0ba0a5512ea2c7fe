package io.tunelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.evaluation.PairedComparison;
import io.tunelab.storage.Json;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepMember;
import io.tunelab.workflows.model.SweepOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

/** The sweep report built from member runs planted in an in-memory bucket. */
class SweepReportsTest {
  private static final double[] CALM = {0.9, 0.6, 0.5, 0.55};
  private static final double[] SWINGING = {1.2, 0.7, 1.4, 0.8};

  /** lr=0.001 swings and one of its seeds diverges; lr=0.0001 trains calmly. */
  private static SweepFixture learningRates() {
    Map<String, List<String>> vary = new LinkedHashMap<>();
    vary.put("lr", List.of("0.001", "0.0001"));
    SweepFixture f = new SweepFixture("sw", vary, List.of(1L, 2L, 3L, 4L));
    String[] bad = {"val-fluctuation", "lr-too-high"};
    f.plant(1, 1, RunStatus.COMPLETED, 0.70, SWINGING, 2, bad);
    f.plant(1, 2, RunStatus.COMPLETED, 0.72, SWINGING, 2, bad);
    f.plant(1, 3, RunStatus.COMPLETED, 0.69, SWINGING, 2, bad);
    f.plant(1, 4, RunStatus.FAILED, Double.NaN, new double[] {1.0, Double.NaN}, 1, bad);
    f.plant(2, 1, RunStatus.COMPLETED, 0.86, CALM, 3, "healthy");
    f.plant(2, 2, RunStatus.COMPLETED, 0.87, CALM, 3, "healthy");
    f.plant(2, 3, RunStatus.COMPLETED, 0.85, CALM, 3, "healthy");
    f.plant(2, 4, RunStatus.COMPLETED, 0.86, CALM, 3, "healthy");
    return f;
  }

  @Test
  void configsCarryMeansOverCompletedRunsWithStudentTIntervals() {
    SweepFixture f = learningRates();
    ObjectNode report =
        new SweepReports(f.store).build(f.spec, RunStatus.COMPLETED, id -> Optional.empty());

    JsonNode first = report.path("configs").path(0);
    assertEquals(1, first.path("config").asInt());
    assertEquals("0.001", first.path("values").path("lr").asText());
    assertEquals(4, first.path("runs").size(), "the failed run is listed");
    assertEquals(3, first.path("n").asInt(), "the failed run stays out of the means");
    double mean = (0.70 + 0.72 + 0.69) / 3;
    assertEquals(mean, first.path("testAcc").path("mean").asDouble(), 1e-12);
    double sd =
        Math.sqrt(
            ((0.70 - mean) * (0.70 - mean)
                    + (0.72 - mean) * (0.72 - mean)
                    + (0.69 - mean) * (0.69 - mean))
                / 2);
    double half = 4.302652729911275 * sd / Math.sqrt(3); // t(0.975, 2 dof)
    assertEquals(mean - half, first.path("testAcc").path("low").asDouble(), 1e-9);
    assertEquals(mean + half, first.path("testAcc").path("high").asDouble(), 1e-9);
    assertEquals(0.7, first.path("bestValLoss").path("mean").asDouble(), 1e-12, "loss at epoch 2");
    assertEquals(0.51, first.path("bestValAcc").path("mean").asDouble(), 1e-12);

    JsonNode failed = first.path("runs").path(3);
    assertEquals("sw-c1-s4", failed.path("runId").asText());
    assertEquals(4, failed.path("seed").asInt());
    assertEquals("FAILED", failed.path("status").asText());
    assertTrue(failed.path("testAcc").isNull());
    assertEquals(1.0, failed.path("bestValLoss").asDouble());
    assertEquals(1, failed.path("bestEpoch").asInt());
    assertEquals("[\"val-fluctuation\",\"lr-too-high\"]", failed.path("findings").toString());

    assertEquals(2, report.path("best").asInt());
  }

  @Test
  void bestIsComparedWithAPairedTTestWhenSeveralSeedsPair() {
    SweepFixture f = learningRates();
    ObjectNode report =
        new SweepReports(f.store).build(f.spec, RunStatus.COMPLETED, id -> Optional.empty());

    assertEquals(1, report.path("comparisons").size());
    JsonNode c = report.path("comparisons").path(0);
    assertEquals(2, c.path("a").asInt());
    assertEquals(1, c.path("b").asInt());
    assertEquals("testAcc", c.path("metric").asText());
    assertEquals("paired-t", c.path("test").asText());
    assertEquals(3, c.path("pairedSeeds").asInt(), "seed 4 failed in config 1: three pairs");
    assertEquals(0.86 - (0.70 + 0.72 + 0.69) / 3, c.path("delta").asDouble(), 1e-12);
    double expected =
        new TTest().pairedTTest(new double[] {0.86, 0.87, 0.85}, new double[] {0.70, 0.72, 0.69});
    assertEquals(expected, c.path("pValue").asDouble(), 1e-12);
    System.out.println("paired t p-value: " + c.path("pValue").asDouble());
  }

  @Test
  void aDivergingRateIsNamedAsTheCauseAndTheOtherAsBest() {
    SweepFixture f = learningRates();
    ObjectNode report =
        new SweepReports(f.store).build(f.spec, RunStatus.COMPLETED, id -> Optional.empty());
    List<String> codes = new ArrayList<>();
    report.path("findings").forEach(x -> codes.add(x.path("code").asText()));
    assertEquals(List.of("best-config", "cause-depends-on-setting"), codes, report.toString());

    JsonNode best = report.path("findings").path(0);
    assertEquals("[2]", best.path("configs").toString());
    assertTrue(best.path("evidence").asText().contains("Sure"), best.path("evidence").asText());
    assertTrue(best.path("recommendation").asText().contains("--lr 0.0001"));

    JsonNode cause = report.path("findings").path(1);
    assertEquals("warning", cause.path("severity").asText());
    assertEquals("[1]", cause.path("configs").toString());
    String evidence = cause.path("evidence").asText();
    assertTrue(
        evidence.startsWith(
            "val-fluctuation and lr-too-high in all 4 finished runs at lr=0.001 and in none of the"
                + " 4 at lr=0.0001: the learning rate causes the swings and the divergence."),
        evidence);
    assertTrue(cause.path("recommendation").asText().startsWith("Use --lr 0.0001"));
  }

  @Test
  void oneSeedPoolsTheTestPredictionsForAnExactMcNemarTest() {
    Map<String, List<String>> vary = new LinkedHashMap<>();
    vary.put("head-dropout", List.of("0", "0.5"));
    SweepFixture f = new SweepFixture("one", vary, List.of(7L));
    SweepMember a = f.plant(1, 7, RunStatus.COMPLETED, 0.80, CALM, 3, "overfitting");
    SweepMember b = f.plant(2, 7, RunStatus.COMPLETED, 0.90, CALM, 3, "healthy");
    int[] labels = new int[100];
    int[] predA = new int[100];
    int[] predB = new int[100];
    for (int i = 0; i < 100; i++) {
      labels[i] = i % 3;
      boolean aRight = i < 80; // 80 right
      boolean bRight = (i >= 2 && i < 80) || (i >= 80 && i < 92); // 78 + 12 = 90 right
      predA[i] = aRight ? labels[i] : (labels[i] + 1) % 3;
      predB[i] = bRight ? labels[i] : (labels[i] + 1) % 3;
    }
    f.predictions(a, labels, predA);
    f.predictions(b, labels, predB);

    ObjectNode report =
        new SweepReports(f.store).build(f.spec, RunStatus.COMPLETED, id -> Optional.empty());
    JsonNode c = report.path("comparisons").path(0);
    assertEquals(2, c.path("a").asInt());
    assertEquals("mcnemar", c.path("test").asText());
    assertEquals(1, c.path("pairedSeeds").asInt());
    assertEquals(12, c.path("aOnlyCorrect").asInt());
    assertEquals(2, c.path("bOnlyCorrect").asInt());
    assertEquals(PairedComparison.mcNemarExact(12, 2), c.path("pValue").asDouble(), 1e-15);
    assertEquals(0.10, c.path("delta").asDouble(), 1e-12);
    JsonNode config = report.path("configs").path(1);
    assertEquals(0.90, config.path("testAcc").path("low").asDouble(), 0, "one value: low = mean");
    assertEquals(0.90, config.path("testAcc").path("high").asDouble(), 0);
    String evidence = report.path("findings").path(0).path("evidence").asText();
    assertTrue(evidence.contains("one seed: interval unknown"), evidence);
    assertTrue(evidence.contains("McNemar"), evidence);
  }

  @Test
  void oneSeedWithoutPredictionsHasNoPValue() {
    Map<String, List<String>> vary = new LinkedHashMap<>();
    vary.put("lr", List.of("0.01", "0.001"));
    SweepFixture f = new SweepFixture("nop", vary, List.of(1L));
    f.plant(1, 1, RunStatus.COMPLETED, 0.80, CALM, 3, "healthy");
    f.plant(2, 1, RunStatus.COMPLETED, 0.82, CALM, 3, "healthy");
    ObjectNode report =
        new SweepReports(f.store).build(f.spec, RunStatus.COMPLETED, id -> Optional.empty());
    JsonNode c = report.path("comparisons").path(0);
    assertEquals("none", c.path("test").asText());
    assertTrue(c.path("pValue").isNull());
    List<String> codes = new ArrayList<>();
    report.path("findings").forEach(x -> codes.add(x.path("code").asText()));
    assertTrue(codes.contains("no-clear-winner"), codes.toString());
  }

  @Test
  void pendingAndRunningMembersUseTheLiveReportAndStayOutOfTheMeans() {
    Map<String, List<String>> vary = new LinkedHashMap<>();
    vary.put("lr", List.of("0.01", "0.001"));
    SweepFixture f = new SweepFixture("live", vary, List.of(1L));
    SweepMember running = SweepMember.of("live", 1, 1);
    f.records.save(
        io.tunelab.workflows.model.RunRecord.experiment(
            f.spec.experiment(running), "live", "2026-12-06T05:00:00Z"));
    ObjectNode live =
        SweepFixture.report(
            running.runId(), RunStatus.RUNNING, Double.NaN, new double[] {0.9, 0.7}, 2);
    ObjectNode report =
        new SweepReports(f.store)
            .build(
                f.spec,
                RunStatus.RUNNING,
                id -> id.equals(running.runId()) ? Optional.of(live) : Optional.empty());

    assertEquals("RUNNING", report.path("status").asText());
    JsonNode runningRun = report.path("configs").path(0).path("runs").path(0);
    assertEquals("RUNNING", runningRun.path("status").asText());
    assertEquals(2, runningRun.path("bestEpoch").asInt());
    assertEquals(0.7, runningRun.path("bestValLoss").asDouble(), 1e-12);
    assertEquals("[1,2]", report.path("configs").path(0).path("curve").path("epoch").toString());
    JsonNode pending = report.path("configs").path(1).path("runs").path(0);
    assertEquals("PENDING", pending.path("status").asText());
    assertTrue(pending.path("bestEpoch").isNull());
    assertTrue(report.path("best").isNull());
    assertEquals(0, report.path("findings").size());
    assertTrue(report.path("configs").path(0).path("testAcc").path("mean").isNull());

    SweepOutcome outcome = new SweepReports(f.store).outcome(report, "k");
    assertNull(outcome.best());
    assertEquals("no member run completed", outcome.headline());
  }

  @Test
  void aRecordNotYetMarkedFinishedTakesItsStoredReportsStatus() {
    Map<String, List<String>> vary = new LinkedHashMap<>();
    vary.put("lr", List.of("0.01", "0.001"));
    SweepFixture f = new SweepFixture("lag", vary, List.of(1L));
    SweepMember done = f.plant(1, 1, RunStatus.COMPLETED, 0.8, CALM, 3, "healthy");
    f.records.save(
        io.tunelab.workflows.model.RunRecord.experiment(
            f.spec.experiment(done), "lag", "2026-12-06T05:00:00Z"));
    JsonNode run =
        new SweepReports(f.store)
            .build(f.spec, RunStatus.RUNNING, id -> Optional.empty())
            .path("configs")
            .path(0)
            .path("runs")
            .path(0);
    assertEquals("COMPLETED", run.path("status").asText());
    assertEquals(0.8, run.path("testAcc").asDouble(), 1e-12);
  }

  @Test
  void curveAveragesTheCompletedRunsPerEpoch() {
    SweepFixture f = learningRates();
    JsonNode curve =
        new SweepReports(f.store)
            .build(f.spec, RunStatus.COMPLETED, id -> Optional.empty())
            .path("configs")
            .path(0)
            .path("curve");
    assertEquals("[1,2,3,4]", curve.path("epoch").toString());
    assertEquals(1.2, curve.path("valLoss").path("mean").path(0).asDouble(), 1e-12);
    assertEquals("[3,3,3,3]", curve.path("n").toString(), "the failed run is left out");
    assertEquals(3, curve.path("runs").size());
  }

  @Test
  void writeStoresTheReportAndOutcomeSumsItUp() {
    SweepFixture f = learningRates();
    SweepReports reports = new SweepReports(f.store);
    String key = reports.write(f.spec, RunStatus.COMPLETED);
    assertEquals("runs/sw/report.json", key);
    JsonNode stored = Json.tree(f.store.get(key));
    assertEquals("sw", stored.path("sweepId").asText());
    SweepOutcome outcome = reports.outcome(stored, key);
    assertEquals(key, outcome.reportKey());
    assertEquals(2, outcome.best());
    assertEquals(List.of("best-config", "cause-depends-on-setting"), outcome.findings());
    assertTrue(
        outcome.headline().startsWith("config 2 (lr=0.0001) best: test accuracy 0.860 ["),
        outcome.headline());
    assertTrue(outcome.headline().contains("over config 1 (p = "), outcome.headline());
    assertFalse(outcome.headline().contains("no clear winner"));
  }

  @Test
  void concludeStoresTheReportAndSpecReadsTheSweepsRecord() {
    SweepFixture f = learningRates();
    f.records.save(io.tunelab.workflows.model.RunRecord.sweep(f.spec, "2026-12-06T05:00:00Z"));
    SweepReports reports = new SweepReports(f.store);
    assertEquals(f.spec, reports.spec("sw").orElseThrow());
    SweepOutcome outcome = reports.conclude(f.spec, RunStatus.COMPLETED);
    assertEquals("runs/sw/report.json", outcome.reportKey());
    assertEquals(
        outcome,
        reports.outcome(Json.tree(f.store.get(outcome.reportKey())), "runs/sw/report.json"));
  }

  @Test
  void intervalsStayInsideTheRangeOfTheirMetric() {
    Map<String, List<String>> vary = new LinkedHashMap<>();
    vary.put("lr", List.of("0.01", "0.001"));
    SweepFixture f = new SweepFixture("range", vary, List.of(1L, 2L));
    f.plant(1, 1, RunStatus.COMPLETED, 0.99, new double[] {0.05}, 1, "healthy");
    f.plant(1, 2, RunStatus.COMPLETED, 0.90, new double[] {0.9}, 1, "healthy");
    JsonNode config =
        new SweepReports(f.store)
            .build(f.spec, RunStatus.RUNNING, id -> Optional.empty())
            .path("configs")
            .path(0);
    assertEquals(1.0, config.path("testAcc").path("high").asDouble(), 0, "an accuracy ends at 1");
    assertEquals(0.0, config.path("bestValLoss").path("low").asDouble(), 0, "a loss at 0");
    assertEquals(0.0, config.path("curve").path("valLoss").path("low").path(0).asDouble(), 0);
  }

  @Test
  void fieldNamesAreTheContracts() {
    SweepFixture f = learningRates();
    JsonNode report =
        new SweepReports(f.store).build(f.spec, RunStatus.COMPLETED, id -> Optional.empty());
    hasFields(
        report,
        "sweepId",
        "kind",
        "status",
        "vary",
        "seeds",
        "configs",
        "best",
        "comparisons",
        "findings");
    assertEquals("sweep", report.path("kind").asText());
    assertEquals("[\"0.001\",\"0.0001\"]", report.path("vary").path("lr").toString());
    assertEquals("[1,2,3,4]", report.path("seeds").toString());
    JsonNode config = report.path("configs").path(0);
    hasFields(config, "config", "values", "runs", "testAcc", "bestValLoss", "bestValAcc");
    for (String metric : List.of("testAcc", "bestValLoss", "bestValAcc")) {
      hasFields(config.path(metric), "mean", "low", "high");
    }
    hasFields(
        config.path("runs").path(0),
        "runId",
        "seed",
        "status",
        "testAcc",
        "bestValLoss",
        "bestValAcc",
        "bestEpoch",
        "findings");
    hasFields(report.path("comparisons").path(0), "a", "b", "metric", "delta", "pValue");
    for (JsonNode finding : report.path("findings")) {
      hasFields(finding, "code", "severity", "configs", "title", "evidence", "recommendation");
    }
  }

  @Test
  void intervalUsesStudentTAndIsUnknownForOneValue() {
    Interval i = Interval.of(1, 2, 3);
    assertEquals(2, i.mean(), 0);
    assertEquals(1, i.sd(), 1e-12);
    assertEquals(2 - 4.302652729911275 / Math.sqrt(3), i.low(), 1e-9);
    Interval one = Interval.of(0.5, Double.NaN);
    assertEquals(1, one.n());
    assertEquals(0.5, one.low(), 0);
    assertEquals(0.5, one.high(), 0);
    assertFalse(one.known());
    assertTrue(Double.isNaN(Interval.of().mean()));
  }

  private static void hasFields(JsonNode node, String... names) {
    for (String name : names) {
      assertTrue(node.has(name), "missing field " + name + " in " + node);
    }
  }
}
