package io.tunelab.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleShapeTest {
  private static final io.temporal.common.converter.DataConverter CONVERTER =
      DefaultDataConverter.newDefaultInstance();

  private static String json(Object value) {
    return CONVERTER.toPayload(value).orElseThrow().getData().toString(StandardCharsets.UTF_8);
  }

  private static <T> T read(String json, Class<T> type) {
    return CONVERTER.fromPayload(
        io.temporal.api.common.v1.Payload.newBuilder()
            .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
            .setData(com.google.protobuf.ByteString.copyFromUtf8(json))
            .build(),
        type,
        type);
  }

  @Test
  void anImageIsWrittenAsItsChannelsHeightAndWidthAsBefore() {
    assertEquals("{\"channels\":1,\"height\":28,\"width\":28}", json(SampleShape.image(1, 28, 28)));
    assertEquals("1x28x28", SampleShape.image(1, 28, 28).toString());
    assertEquals(784, SampleShape.image(1, 28, 28).size());
  }

  @Test
  void theOldImageShapeJsonReadsAsAnImage() {
    SampleShape shape = read("{\"channels\":3,\"height\":32,\"width\":40}", SampleShape.class);
    assertEquals(SampleShape.image(3, 32, 40), shape);
    assertEquals(SampleKind.IMAGE, shape.kind());
    assertEquals(3, shape.channels());
    assertEquals(32, shape.height());
    assertEquals(40, shape.width());
  }

  @Test
  void tablesAndClipsRoundTripWithTheirKindAndDimensions() {
    SampleShape table = SampleShape.table(10);
    assertEquals("{\"kind\":\"table\",\"dims\":[10]}", json(table));
    assertEquals(table, read(json(table), SampleShape.class));
    SampleShape clip = SampleShape.clip(3, 16, 32, 32);
    assertEquals(clip, read(json(clip), SampleShape.class));
    assertEquals("3x16x32x32", clip.toString());
    assertEquals(16, clip.frames());
    assertEquals(10, table.features());
    assertThrows(IllegalStateException.class, table::channels);
  }

  @Test
  void aRecordHoldingAnOldShapeStillReads() {
    String old =
        "{\"source\":\"/data\",\"classes\":[],\"perClass\":0,\"seed\":1,"
            + "\"shape\":{\"channels\":1,\"height\":28,\"width\":28},\"detectChannels\":true,"
            + "\"augment\":\"none\"}";
    IngestRequest request = read(old, IngestRequest.class);
    assertEquals(SampleShape.image(1, 28, 28), request.shape());
  }

  @Test
  void invalidShapesAreRefusedWithTheReason() {
    assertEquals(
        "channels must be 1 or 3: 2",
        assertThrows(IllegalArgumentException.class, () -> SampleShape.image(2, 28, 28))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> SampleShape.image(1, 4, 28));
    assertThrows(
        IllegalArgumentException.class, () -> new SampleShape(SampleKind.TABLE, List.of(1, 2)));
    assertEquals(SampleKind.CLIP, SampleKind.of("clip"));
    assertEquals("\"table\"", json(SampleKind.TABLE));
    assertEquals(
        Map.of("kind", SampleKind.TABLE, "dims", List.of(4)), SampleShape.table(4).toJson());
  }
}
