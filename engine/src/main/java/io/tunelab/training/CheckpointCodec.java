package io.tunelab.training;

import io.tunelab.training.Checkpoint.OptimizerState;
import io.tunelab.training.Checkpoint.RngInfo;
import io.tunelab.training.Checkpoint.Slot;
import io.tunelab.training.Checkpoint.Tensor;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a {@link Checkpoint}.
 *
 * <p>Wire format (big-endian): magic {@code "TLCK"}, format version, payload length, payload, then
 * the SHA-256 of everything before it. Version 2 appends the optional module archive to version 1's
 * payload; both are read. {@link #decode} checks all four, so truncated, bit-flipped or foreign
 * bytes raise {@link CorruptCheckpointException} instead of loading garbage. Tensor values are
 * little-endian float32. A table's or a clip's shape is marked by a negative first number where an
 * image's channels stand (see {@code writeShape}), so image checkpoints keep their bytes.
 */
public final class CheckpointCodec {
  /** The format version this class writes and reads. */
  public static final int FORMAT_VERSION = 2;

  private static final int OLDEST_READABLE_VERSION = 1;

  private static final int MAGIC = 0x544c434b; // "TLCK"
  private static final int HEADER_BYTES = 4 + 4 + 8;
  private static final int DIGEST_BYTES = 32;

  private CheckpointCodec() {}

  /** Serialises a checkpoint to bytes in the format described on the class. */
  public static byte[] encode(Checkpoint checkpoint) {
    try {
      ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream(estimateSize(checkpoint));
      DataOutputStream out = new DataOutputStream(payloadBytes);
      writePayload(out, checkpoint);
      out.flush();
      byte[] payload = payloadBytes.toByteArray();

      ByteBuffer whole = ByteBuffer.allocate(HEADER_BYTES + payload.length + DIGEST_BYTES);
      whole.putInt(MAGIC).putInt(FORMAT_VERSION).putLong(payload.length).put(payload);
      MessageDigest sha = sha256();
      sha.update(whole.array(), 0, HEADER_BYTES + payload.length);
      whole.put(sha.digest());
      return whole.array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a checkpoint written by {@link #encode}.
   *
   * @throws CorruptCheckpointException when the bytes are truncated, altered, or not a checkpoint
   *     of this format version
   */
  public static Checkpoint decode(byte[] bytes) {
    if (bytes == null) {
      throw new CorruptCheckpointException("checkpoint bytes are null");
    }
    if (bytes.length < HEADER_BYTES + DIGEST_BYTES) {
      throw new CorruptCheckpointException(
          "checkpoint truncated: "
              + bytes.length
              + " bytes is shorter than the "
              + (HEADER_BYTES + DIGEST_BYTES)
              + "-byte frame");
    }
    ByteBuffer header = ByteBuffer.wrap(bytes, 0, HEADER_BYTES);
    int magic = header.getInt();
    int version = header.getInt();
    long payloadLength = header.getLong();
    if (magic != MAGIC) {
      throw new CorruptCheckpointException(
          "not a tunelab checkpoint (magic " + Integer.toHexString(magic) + ")");
    }
    long expected = HEADER_BYTES + payloadLength + DIGEST_BYTES;
    if (payloadLength < 0 || expected != bytes.length) {
      throw new CorruptCheckpointException(
          "checkpoint truncated or padded: header announces "
              + expected
              + " bytes but there are "
              + bytes.length);
    }
    MessageDigest sha = sha256();
    sha.update(bytes, 0, bytes.length - DIGEST_BYTES);
    byte[] actual = sha.digest();
    byte[] stored = Arrays.copyOfRange(bytes, bytes.length - DIGEST_BYTES, bytes.length);
    if (!MessageDigest.isEqual(actual, stored)) {
      throw new CorruptCheckpointException(
          "checkpoint checksum mismatch: SHA-256 of the content does not match the stored one"
              + " (the bytes were altered)");
    }
    if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
      throw new CorruptCheckpointException(
          "unsupported checkpoint format version "
              + version
              + " (this build reads "
              + OLDEST_READABLE_VERSION
              + " to "
              + FORMAT_VERSION
              + ")");
    }
    try {
      DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(bytes, HEADER_BYTES, (int) payloadLength));
      return readPayload(in, version);
    } catch (EOFException e) {
      throw new CorruptCheckpointException("checkpoint payload ends early", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptCheckpointException("checkpoint payload is malformed: " + e.getMessage(), e);
    }
  }

  private static int estimateSize(Checkpoint c) {
    long n = 1024 + (c.module() == null ? 0 : c.module().length);
    for (Map.Entry<String, Tensor> e : c.parameters().entrySet()) {
      n += 64 + e.getKey().length() + 4L * e.getValue().values().length;
    }
    for (Slot slot : c.optimizerState().slots().values()) {
      for (Tensor t : slot.buffers()) {
        n += 64 + 4L * t.values().length;
      }
    }
    return (int) Math.min(n, Integer.MAX_VALUE - 64);
  }

  private static void writePayload(DataOutputStream out, Checkpoint c) throws IOException {
    SampleShape shape = c.shape();
    RngInfo rng = c.rng();
    EpochMetrics metrics = c.metrics();
    OptimizerState optimizerState = c.optimizerState();
    byte[] module = c.module();
    out.writeUTF(c.architecture());
    writeShape(out, shape);
    out.writeInt(c.numClasses());
    out.writeInt(c.epoch());

    out.writeLong(rng.seed());
    out.writeLong(rng.dataOrderSeed());
    out.writeInt(rng.engineSeed());
    out.writeInt(rng.trainExamples());
    out.writeInt(rng.steps());

    out.writeBoolean(metrics != null);
    if (metrics != null) {
      out.writeInt(metrics.epoch());
      out.writeDouble(metrics.trainLoss());
      out.writeDouble(metrics.trainAcc());
      out.writeDouble(metrics.valLoss());
      out.writeDouble(metrics.valAcc());
      out.writeDouble(metrics.lr());
      out.writeDouble(metrics.seconds());
    }

    out.writeInt(c.parameters().size());
    for (Map.Entry<String, Tensor> e : c.parameters().entrySet()) {
      out.writeUTF(e.getKey());
      writeTensor(out, e.getValue());
    }

    out.writeUTF(optimizerState.optimizer());
    out.writeInt(optimizerState.slots().size());
    for (Map.Entry<String, Slot> e : optimizerState.slots().entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue().steps());
      out.writeInt(e.getValue().buffers().size());
      for (Tensor t : e.getValue().buffers()) {
        writeTensor(out, t);
      }
    }

    out.writeBoolean(module != null);
    if (module != null) {
      out.writeInt(module.length);
      out.write(module);
    }
  }

  /**
   * An image's shape is its channels, height and width, as always; another kind's is minus its
   * kind's ordinal (never a channel count), the number of dimensions and the dimensions.
   */
  private static void writeShape(DataOutputStream out, SampleShape shape) throws IOException {
    if (shape.kind() == SampleKind.IMAGE) {
      out.writeInt(shape.channels());
      out.writeInt(shape.height());
      out.writeInt(shape.width());
      return;
    }
    out.writeInt(-shape.kind().ordinal());
    out.writeInt(shape.dims().size());
    for (int d : shape.dims()) {
      out.writeInt(d);
    }
  }

  private static SampleShape readShape(DataInputStream in) throws IOException {
    int first = in.readInt();
    if (first >= 0) {
      return SampleShape.image(first, in.readInt(), in.readInt());
    }
    SampleKind[] kinds = SampleKind.values();
    if (-first >= kinds.length) {
      throw new CorruptCheckpointException("unknown sample kind " + first);
    }
    int count = in.readInt();
    if (count < 1 || count > 8) {
      throw new CorruptCheckpointException("a shape of " + count + " dimensions");
    }
    List<Integer> dims = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      dims.add(in.readInt());
    }
    return new SampleShape(kinds[-first], dims);
  }

  private static Checkpoint readPayload(DataInputStream in, int version) throws IOException {
    String architecture = in.readUTF();
    SampleShape shape = readShape(in);
    int numClasses = in.readInt();
    int epoch = in.readInt();
    RngInfo rng =
        new RngInfo(in.readLong(), in.readLong(), in.readInt(), in.readInt(), in.readInt());
    EpochMetrics metrics = null;
    if (in.readBoolean()) {
      metrics =
          new EpochMetrics(
              in.readInt(),
              in.readDouble(),
              in.readDouble(),
              in.readDouble(),
              in.readDouble(),
              in.readDouble(),
              in.readDouble());
    }
    int count = in.readInt();
    Map<String, Tensor> parameters = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      parameters.put(name, readTensor(in));
    }
    String optimizer = in.readUTF();
    int slots = in.readInt();
    Map<String, Slot> state = new LinkedHashMap<>();
    for (int i = 0; i < slots; i++) {
      String name = in.readUTF();
      int steps = in.readInt();
      int buffers = in.readInt();
      List<Tensor> tensors = new ArrayList<>(buffers);
      for (int b = 0; b < buffers; b++) {
        tensors.add(readTensor(in));
      }
      state.put(name, new Slot(steps, tensors));
    }
    byte[] module = null;
    if (version >= 2 && in.readBoolean()) {
      int length = in.readInt();
      if (length < 0 || length > in.available()) {
        throw new IOException(
            "module archive of " + length + " bytes but only " + in.available() + " bytes left");
      }
      module = new byte[length];
      in.readFully(module);
    }
    if (in.available() != 0) {
      throw new IOException(
          in.available()
              + " unexpected bytes after the "
              + (version >= 2 ? "module archive" : "optimizer state"));
    }
    return new Checkpoint(
        architecture,
        shape,
        numClasses,
        epoch,
        rng,
        metrics,
        parameters,
        new OptimizerState(optimizer, state),
        module);
  }

  private static void writeTensor(DataOutputStream out, Tensor t) throws IOException {
    out.writeInt(t.shape().length);
    for (long d : t.shape()) {
      out.writeLong(d);
    }
    float[] values = t.values();
    out.writeInt(values.length);
    ByteBuffer buf =
        ByteBuffer.allocate(4 * Math.min(values.length, 1 << 16)).order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < values.length; from += 1 << 16) {
      int to = Math.min(values.length, from + (1 << 16));
      buf.clear();
      buf.asFloatBuffer().put(values, from, to - from);
      out.write(buf.array(), 0, 4 * (to - from));
    }
  }

  private static Tensor readTensor(DataInputStream in) throws IOException {
    int dims = in.readInt();
    if (dims < 0 || dims > 8) {
      throw new IOException("tensor with " + dims + " dimensions");
    }
    long[] shape = new long[dims];
    for (int i = 0; i < dims; i++) {
      shape[i] = in.readLong();
    }
    int n = in.readInt();
    if (n < 0 || 4L * n > in.available()) {
      throw new IOException(
          "tensor of " + n + " values but only " + in.available() + " bytes left");
    }
    byte[] raw = new byte[4 * n];
    in.readFully(raw);
    float[] values = new float[n];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return new Tensor(shape, values);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
