package io.tunelab.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.storage.Json;
import java.util.List;

/**
 * Writes the sweep report JSON of the contract from an analysis and its findings. Beyond the
 * contract's fields it adds, per config, {@code n} (runs in the means), {@code bestEpoch} stats and
 * the mean validation loss {@code curve}; per run, {@code findingDetails} (code, severity, arm);
 * per comparison, the {@code test} used and the paired seed count. Numbers that are unknown are
 * {@code null}.
 */
final class SweepReportJson {
  private SweepReportJson() {}

  static ObjectNode write(SweepAnalysis sweep, List<SweepFinding> findings) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("sweepId", sweep.sweepId());
    root.put("kind", "sweep");
    root.put("status", sweep.status().wire());
    ObjectNode vary = root.putObject("vary");
    sweep.vary().forEach((flag, values) -> vary.set(flag, Json.mapper().valueToTree(values)));
    ArrayNode seeds = root.putArray("seeds");
    sweep.seeds().forEach(seeds::add);
    ArrayNode configs = root.putArray("configs");
    sweep.configs().forEach(c -> configs.add(config(c)));
    if (sweep.best() == null) {
      root.putNull("best");
    } else {
      root.put("best", sweep.best());
    }
    ArrayNode comparisons = root.putArray("comparisons");
    for (ConfigComparison c : sweep.comparisons()) {
      ObjectNode node = comparisons.addObject();
      node.put("a", c.a());
      node.put("b", c.b());
      node.put("metric", c.metric());
      number(node, "delta", c.delta());
      number(node, "pValue", c.pValue());
      node.put("test", c.test());
      node.put("pairedSeeds", c.pairedSeeds());
      if (ConfigComparison.MCNEMAR.equals(c.test())) {
        node.put("aOnlyCorrect", c.aOnlyCorrect());
        node.put("bOnlyCorrect", c.bOnlyCorrect());
      }
    }
    ArrayNode out = root.putArray("findings");
    for (SweepFinding f : findings) {
      ObjectNode node = out.addObject();
      node.put("code", f.code());
      node.put("severity", f.severity());
      ArrayNode numbers = node.putArray("configs");
      f.configs().forEach(numbers::add);
      node.put("title", f.title());
      node.put("evidence", f.evidence());
      node.put("recommendation", f.recommendation());
    }
    return root;
  }

  private static ObjectNode config(ConfigResult c) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("config", c.config());
    ObjectNode values = node.putObject("values");
    c.values().forEach(values::put);
    ArrayNode runs = node.putArray("runs");
    c.runs().forEach(r -> runs.add(run(r)));
    node.put("n", c.testAcc().n());
    node.set("testAcc", interval(c.testAcc()));
    node.set("bestValLoss", interval(c.bestValLoss()));
    node.set("bestValAcc", interval(c.bestValAcc()));
    node.set("bestEpoch", interval(c.bestEpoch()));
    node.set("curve", curve(c.curve()));
    return node;
  }

  private static ObjectNode run(MemberRun r) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("runId", r.runId());
    node.put("seed", r.seed());
    node.put("status", r.status().wire());
    number(node, "testAcc", r.testAcc());
    number(node, "bestValLoss", r.bestValLoss());
    number(node, "bestValAcc", r.bestValAcc());
    if (r.bestEpoch() > 0) {
      node.put("bestEpoch", r.bestEpoch());
    } else {
      node.putNull("bestEpoch");
    }
    ArrayNode codes = node.putArray("findings");
    r.codes().forEach(codes::add);
    ArrayNode details = node.putArray("findingDetails");
    for (RunFinding f : r.findings()) {
      details.addObject().put("code", f.code()).put("severity", f.severity()).put("arm", f.arm());
    }
    return node;
  }

  private static ObjectNode interval(Interval i) {
    ObjectNode node = Json.mapper().createObjectNode();
    number(node, "mean", i.mean());
    number(node, "low", i.low());
    number(node, "high", i.high());
    return node;
  }

  /** {@code {epoch:[..], valLoss:{mean:[..], low:[..], high:[..]}, n:[..], runs:[..]}}. */
  private static ObjectNode curve(ValidationCurve curve) {
    ObjectNode node = Json.mapper().createObjectNode();
    ArrayNode epochs = node.putArray("epoch");
    curve.epochs().forEach(epochs::add);
    ObjectNode loss = node.putObject("valLoss");
    ArrayNode mean = loss.putArray("mean");
    ArrayNode low = loss.putArray("low");
    ArrayNode high = loss.putArray("high");
    ArrayNode n = node.putArray("n");
    for (Interval i : curve.valLoss()) {
      add(mean, i.mean());
      add(low, i.low());
      add(high, i.high());
      n.add(i.n());
    }
    ArrayNode runs = node.putArray("runs");
    curve.runIds().forEach(runs::add);
    return node;
  }

  private static void number(ObjectNode node, String field, double value) {
    Json.putNumber(node, field, value);
  }

  private static void add(ArrayNode array, double value) {
    if (Double.isFinite(value)) {
      array.add(value);
    } else {
      array.addNull();
    }
  }
}
