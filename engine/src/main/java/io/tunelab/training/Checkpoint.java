package io.tunelab.training;

import io.tunelab.workflows.model.EpochMetrics;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to continue training after an epoch, or to evaluate the model: the network
 * description (architecture, input shape, number of classes), every parameter by name (including
 * batch-norm running statistics), the optimizer's state by parameter name, the random-number and
 * data-order information of the epoch that produced it, and that epoch's metrics.
 *
 * <p>A {@code torchscript} network (see {@link Network#fromTorchScript}) also carries its
 * TorchScript module as an archive ({@link #module()}): DJL exposes a scripted module's parameters
 * by name but not its buffers (batch-norm running statistics), and the module's structure exists
 * only as TorchScript, so the archive written by libtorch after the epoch is the only faithful
 * record of it. Its parameters are then kept in the archive only; {@link #parameters()} holds the
 * parameters outside it (the head). The optimizer state stays by parameter name for every
 * parameter, the module's included.
 *
 * <p>Wire format (big-endian): magic {@code "TLCK"}, format version, payload length, payload, then
 * the SHA-256 of everything before it. Version 2 appends the optional module archive to version 1's
 * payload; both are read. {@link #decode} checks all four, so truncated, bit-flipped or foreign
 * bytes raise {@link CorruptCheckpointException} instead of loading garbage. Parameter names are
 * DJL's hierarchical block names (for example {@code
 * 01Backbone_01SequentialBlock_01Conv2d_weight}); they are stable as long as the network built by
 * {@link Network} does not change.
 */
public final class Checkpoint {
  /** The format version this class writes and reads. */
  public static final int FORMAT_VERSION = 2;

  private static final int OLDEST_READABLE_VERSION = 1;

  private static final int MAGIC = 0x544c434b; // "TLCK"
  private static final int HEADER_BYTES = 4 + 4 + 8;
  private static final int DIGEST_BYTES = 32;

  private final String architecture;
  private final SampleShape shape;
  private final int numClasses;
  private final int epoch;
  private final RngInfo rng;
  private final EpochMetrics metrics;
  private final Map<String, Tensor> parameters;
  private final OptimizerState optimizerState;
  private final byte[] module;

  /**
   * Creates a checkpoint; the maps are copied (their tensors are not).
   *
   * @param architecture the network architecture, as in {@link EpochJob#architecture()}
   * @param shape the image shape the model was trained on (before any padding)
   * @param numClasses the number of output classes
   * @param epoch the last completed epoch, from 1 (0 for an untrained model)
   * @param rng the seeds and data order of that epoch
   * @param metrics that epoch's metrics, or {@code null}
   * @param parameters every parameter of the network by name, in block order
   * @param optimizerState the optimizer state, or {@code null} for none
   */
  public Checkpoint(
      String architecture,
      SampleShape shape,
      int numClasses,
      int epoch,
      RngInfo rng,
      EpochMetrics metrics,
      Map<String, Tensor> parameters,
      OptimizerState optimizerState) {
    this(architecture, shape, numClasses, epoch, rng, metrics, parameters, optimizerState, null);
  }

  /**
   * Creates a checkpoint; the maps are copied (their tensors and the module archive are not).
   *
   * @param architecture the network architecture, as in {@link EpochJob#architecture()}
   * @param shape the image shape the model was trained on (before any padding)
   * @param numClasses the number of output classes
   * @param epoch the last completed epoch, from 1 (0 for an untrained model)
   * @param rng the seeds and data order of that epoch
   * @param metrics that epoch's metrics, or {@code null}
   * @param parameters every parameter outside the module archive by name, in block order
   * @param optimizerState the optimizer state, or {@code null} for none
   * @param module the TorchScript archive of a {@code torchscript} network's module (structure,
   *     parameters and buffers), or {@code null} for the other architectures
   * @throws IllegalArgumentException when a {@code torchscript} checkpoint lacks its module or
   *     another architecture has one
   */
  public Checkpoint(
      String architecture,
      SampleShape shape,
      int numClasses,
      int epoch,
      RngInfo rng,
      EpochMetrics metrics,
      Map<String, Tensor> parameters,
      OptimizerState optimizerState,
      byte[] module) {
    this.architecture = Objects.requireNonNull(architecture, "architecture");
    this.shape = Objects.requireNonNull(shape, "shape");
    this.numClasses = numClasses;
    this.epoch = epoch;
    this.rng = Objects.requireNonNull(rng, "rng");
    this.metrics = metrics;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.optimizerState = optimizerState == null ? OptimizerState.EMPTY : optimizerState;
    if (Network.TORCHSCRIPT.equals(architecture) != (module != null)) {
      throw new IllegalArgumentException(
          Network.TORCHSCRIPT.equals(architecture)
              ? "a torchscript checkpoint needs its module archive"
              : "a " + architecture + " checkpoint has no module archive");
    }
    this.module = module;
  }

  public String architecture() {
    return architecture;
  }

  public SampleShape shape() {
    return shape;
  }

  public int numClasses() {
    return numClasses;
  }

  /** The last completed epoch. */
  public int epoch() {
    return epoch;
  }

  public RngInfo rng() {
    return rng;
  }

  /** The metrics of {@link #epoch()}, or {@code null} when none were recorded. */
  public EpochMetrics metrics() {
    return metrics;
  }

  /** Every parameter by name, in block order (unmodifiable). */
  public Map<String, Tensor> parameters() {
    return parameters;
  }

  /** The optimizer state; {@link OptimizerState#EMPTY} when there is none. */
  public OptimizerState optimizerState() {
    return optimizerState;
  }

  /**
   * The TorchScript archive of a {@code torchscript} network's module (its structure, parameters
   * and buffers as libtorch saved them after the epoch), or {@code null}. Not copied: do not modify
   * it.
   */
  public byte[] module() {
    return module;
  }

  /** A copy of this checkpoint with another optimizer state (for example none). */
  public Checkpoint withOptimizerState(OptimizerState state) {
    return new Checkpoint(
        architecture, shape, numClasses, epoch, rng, metrics, parameters, state, module);
  }

  /**
   * One float32 tensor: its shape and its values in row-major order.
   *
   * @param shape the dimensions
   * @param values the values; their count is the product of the dimensions
   */
  public record Tensor(long[] shape, float[] values) {
    public Tensor {
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(values, "values");
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n != values.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " holds " + n + " values, not " + values.length);
      }
    }

    /** Whether both tensors have the same shape and bit-identical values. */
    public boolean sameAs(Tensor other) {
      return Arrays.equals(shape, other.shape) && Arrays.equals(values, other.values);
    }
  }

  /**
   * The state of one parameter in the optimizer.
   *
   * @param steps how many updates the parameter has had (Adam's bias correction uses it)
   * @param buffers the state tensors: none for plain SGD, the momentum for SGD with momentum, the
   *     first and second moments for Adam and AdamW
   */
  public record Slot(int steps, List<Tensor> buffers) {
    public Slot {
      buffers = List.copyOf(buffers);
    }
  }

  /**
   * The optimizer state of a whole model, keyed by parameter name.
   *
   * @param optimizer the optimizer that wrote it ({@code sgd}, {@code adam}, {@code adamw}), or the
   *     empty string for none
   * @param slots the state of each parameter that has been updated at least once
   */
  public record OptimizerState(String optimizer, Map<String, Slot> slots) {
    /** No state: a fresh optimizer. */
    public static final OptimizerState EMPTY = new OptimizerState("", Map.of());

    public OptimizerState {
      Objects.requireNonNull(optimizer, "optimizer");
      slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    }
  }

  /**
   * Random-number and data-order information of the epoch that produced a checkpoint. It is
   * informative (every seed is derived again from the experiment seed and the epoch number), and
   * lets a reader check that a resumed run used the same data order.
   *
   * @param seed the experiment seed
   * @param dataOrderSeed the seed of the {@link java.util.Random} that shuffled the training set
   * @param engineSeed the engine seed set before the epoch's training loop (dropout masks)
   * @param trainExamples the number of training images seen in the epoch
   * @param steps the number of optimisation steps in the epoch
   */
  public record RngInfo(
      long seed, long dataOrderSeed, int engineSeed, int trainExamples, int steps) {}

  /** Serialises this checkpoint to bytes in the format described on the class. */
  public byte[] encode() {
    try {
      ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream(estimateSize());
      DataOutputStream out = new DataOutputStream(payloadBytes);
      writePayload(out);
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
   * Reads a checkpoint written by {@link #encode()}.
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

  private int estimateSize() {
    long n = 1024 + (module == null ? 0 : module.length);
    for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
      n += 64 + e.getKey().length() + 4L * e.getValue().values().length;
    }
    for (Slot slot : optimizerState.slots().values()) {
      for (Tensor t : slot.buffers()) {
        n += 64 + 4L * t.values().length;
      }
    }
    return (int) Math.min(n, Integer.MAX_VALUE - 64);
  }

  private void writePayload(DataOutputStream out) throws IOException {
    out.writeUTF(architecture);
    out.writeInt(shape.channels());
    out.writeInt(shape.height());
    out.writeInt(shape.width());
    out.writeInt(numClasses);
    out.writeInt(epoch);

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

    out.writeInt(parameters.size());
    for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
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

  private static Checkpoint readPayload(DataInputStream in, int version) throws IOException {
    String architecture = in.readUTF();
    SampleShape shape = SampleShape.image(in.readInt(), in.readInt(), in.readInt());
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
