package io.tunelab.runs;

import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The runs' records in the bucket ({@code runs/<runId>/run.json}). */
public final class RunRecords {
  private final ObjectStore store;

  public RunRecords(ObjectStore store) {
    this.store = store;
  }

  /** Whether a run with this id has ever been recorded. */
  public boolean exists(String runId) {
    return store.exists(Keys.run(runId));
  }

  public void save(RunRecord record) {
    store.put(Keys.run(record.runId()), Json.bytes(record), "application/json");
  }

  public Optional<RunRecord> find(String runId) {
    try {
      return Optional.of(Json.read(store.get(Keys.run(runId)), RunRecord.class));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Marks a run finished with a status, now. */
  public void finish(String runId, RunStatus status) {
    find(runId).ifPresent(r -> save(r.finished(status, Instant.now().toString())));
  }

  /** Every recorded run, newest first. */
  public List<RunRecord> all() {
    List<RunRecord> records = new ArrayList<>();
    for (String key : store.list("runs/")) {
      if (key.endsWith("/run.json") && key.chars().filter(ch -> ch == '/').count() == 2) {
        try {
          records.add(Json.read(store.get(key), RunRecord.class));
        } catch (ObjectNotFoundException ignored) {
          // deleted between list and get
        }
      }
    }
    records.sort(
        Comparator.comparing(RunRecord::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .reversed());
    return records;
  }
}
