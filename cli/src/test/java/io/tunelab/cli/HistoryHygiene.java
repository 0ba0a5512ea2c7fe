package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Checks a workflow history for what must never be in it: a credential, anywhere (the history's
 * JSON and every payload decoded, since JSON shows payload data as base64), and a payload larger
 * than {@link #MAX_PAYLOAD_BYTES}.
 *
 * <p>Why 64 KiB: workflows carry keys, hyper-parameters and per-epoch metrics only. The largest
 * payload a run makes is its {@code RunState} (the input of the diagnose and report activities and
 * the workflow's result): a few hundred bytes per epoch and arm plus the findings' text, about 10
 * KiB for 50 epochs of two arms. 64 KiB leaves room for long runs while catching what must go to
 * the bucket instead (a shard of 1,000 28x28 images is 784 KB; a small CNN's parameters are
 * hundreds of KB), and stays far below Temporal's own limits (a warning at 256 KiB, a failed
 * workflow task at 2 MiB per payload).
 */
final class HistoryHygiene {
  static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  private HistoryHygiene() {}

  /** Every payload in the history with the event it is in; returns the largest size seen. */
  static int assertClean(WorkflowExecutionHistory history, String... secrets) {
    String json = history.toJson(false);
    for (String secret : secrets) {
      assertTrue(secret.length() >= 8, "a real secret to look for");
      assertFalse(json.contains(secret), "a credential in the history's JSON");
    }
    int[] largest = {0};
    for (HistoryEvent event : history.getEvents()) {
      payloads(
          event,
          (where, payload) -> {
            int size = payload.getData().size();
            largest[0] = Math.max(largest[0], size);
            assertTrue(
                size <= MAX_PAYLOAD_BYTES,
                "payload of "
                    + size
                    + " bytes in event "
                    + event.getEventId()
                    + " "
                    + event.getEventType()
                    + " at "
                    + where);
            String data = payload.getData().toStringUtf8();
            String metadata =
                payload.getMetadataMap().values().stream()
                    .map(b -> b.toString(StandardCharsets.UTF_8))
                    .reduce("", String::concat);
            for (String secret : secrets) {
              assertFalse(
                  data.contains(secret) || metadata.contains(secret),
                  "a credential in a payload of event "
                      + event.getEventId()
                      + " "
                      + event.getEventType());
            }
          });
    }
    return largest[0];
  }

  /** Walks a message's fields, maps and lists included, down to every {@link Payload}. */
  static void payloads(Message message, BiConsumer<String, Payload> sink) {
    walk(message, message.getDescriptorForType().getName(), sink);
  }

  private static void walk(Message message, String path, BiConsumer<String, Payload> sink) {
    if (message instanceof Payload payload) {
      sink.accept(path, payload);
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String at = path + "." + field.getKey().getName();
      if (field.getKey().isRepeated()) {
        for (Object item : (List<?>) field.getValue()) {
          walk((Message) item, at, sink);
        }
      } else {
        walk((Message) field.getValue(), at, sink);
      }
    }
  }
}
