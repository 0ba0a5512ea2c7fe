package io.tunelab.bench;

import io.minio.PutObjectArgs;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.BodyCheck;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.S3ObjectStore;
import io.tunelab.storage.StoreConfig;
import io.tunelab.storage.StoreException;
import io.tunelab.training.EpochJob;
import io.tunelab.training.EpochTrainer;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.TrainingParams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench/checkpoint-upload.sh}: how long writing one checkpoint takes through {@link
 * ObjectStore#put} to the embedded S3 endpoint (S3Proxy, filesystem backend, in this process)
 * compared with writing the same bytes to a local file with {@code FileChannel.write} and {@code
 * force(true)} (fsync), on the same file system.
 *
 * <p>The checkpoints are real: one epoch of {@link EpochTrainer} on a few Fashion-MNIST images for
 * {@code cnn} and for {@code resnet18} (parameters and Adam state). Each size is written {@code
 * reps} times, S3 and local alternating, after {@code 3} warm-up writes of each, to a new key or
 * file each time (as every epoch does). Prints medians; for information also the local write
 * without fsync, the S3 read back, the small {@code latest.json} put every epoch does, and in the
 * same rounds: the put with {@code Content-MD5} (what {@link ObjectStore} sends to a plain-HTTP
 * endpoint on another host), the put over OkHttp (as to an HTTPS endpoint), the put followed by an
 * fsync of the file S3Proxy stored (its filesystem backend never fsyncs; this is the least a server
 * that did would add), and the MinIO client's own {@code putObject} (which signs the body). Each of
 * these extra objects is deleted, untimed, right after its put, so that the main measurement sees
 * as much written around it as without them. The ratio is the sum over both sizes of the S3 medians
 * divided by the sum of the local medians.
 *
 * <p>Usage: {@code CheckpointUploadBenchmark [reps=20] [idx folder]}.
 */
public final class CheckpointUploadBenchmark {
  private static final SampleShape SHAPE = SampleShape.image(1, 28, 28);
  private static final int WARMUP = 3;

  private CheckpointUploadBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path idx = args.length > 1 ? Path.of(args[1]) : FashionMnistFolders.DEFAULT_DIR;

    Map<String, byte[]> checkpoints = new LinkedHashMap<>();
    LabeledImages all = FashionMnistFolders.read(idx, true);
    for (String architecture : List.of("cnn", "resnet18")) {
      long start = System.nanoTime();
      checkpoints.put(architecture, realCheckpoint(architecture, all));
      System.out.printf(
          Locale.ROOT,
          "%s checkpoint: %d bytes (one epoch on 64 images: %.1f s)%n",
          architecture,
          checkpoints.get(architecture).length,
          (System.nanoTime() - start) / 1e9);
    }

    Path dir = Files.createTempDirectory("tunelab-ckpt-bench");
    Path objects = dir.resolve("objects");
    Path local = Files.createDirectories(dir.resolve("local"));
    S3Credentials creds = CredentialStore.generate();
    String bucket = "tunelab";
    try (EmbeddedObjectStore s3 = EmbeddedObjectStore.start(objects, 0, creds, bucket)) {
      StoreConfig config =
          new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), bucket);
      S3ObjectStore store = new S3ObjectStore(config);
      S3ObjectStore md5Store = new S3ObjectStore(config, BodyCheck.ALWAYS_MD5);
      store.check();
      System.out.printf(
          Locale.ROOT,
          "store: S3Proxy (filesystem) at %s over %s; local files in %s;"
              + " %d writes of each, medians%n",
          s3.endpoint(),
          objects,
          local,
          reps);
      S3ObjectStore okHttpStore = new S3ObjectStore(config, BodyCheck.AUTO, true);
      System.out.printf(Locale.ROOT, "ObjectStore.put: %s%n", store.putDescription());
      byte[] latest =
          ("{\"epoch\":1,\"checkpoint\":\"runs/bench/finetune/epoch-0001/checkpoint.bin\","
                  + "\"bytes\":5000000,\"metrics\":{\"epoch\":1,\"trainLoss\":0.5,\"trainAcc\":0.8,"
                  + "\"valLoss\":0.5,\"valAcc\":0.8,\"lr\":0.001,\"seconds\":3.0}}")
              .getBytes();
      List<String> failed = new ArrayList<>();
      double s3Sum = 0;
      double localSum = 0;
      double md5Sum = 0;
      double previousSum = 0;
      double syncedSum = 0;
      double okHttpSum = 0;
      for (Map.Entry<String, byte[]> e : checkpoints.entrySet()) {
        String name = e.getKey();
        byte[] bytes = e.getValue();
        double[] put = new double[reps];
        double[] fsync = new double[reps];
        double[] noSync = new double[reps];
        double[] get = new double[reps];
        double[] small = new double[reps];
        double[] withMd5 = new double[reps];
        double[] previous = new double[reps];
        double[] synced = new double[reps];
        double[] okHttp = new double[reps];
        for (int i = -WARMUP; i < reps; i++) {
          String key =
              String.format(
                  Locale.ROOT, "runs/bench/%s/epoch-%04d/checkpoint.bin", name, i + WARMUP);
          long t0 = System.nanoTime();
          try {
            store.put(key, bytes);
          } catch (StoreException failure) {
            System.out.printf(
                Locale.ROOT,
                "%s (%.2f MB): ObjectStore.put FAILED after %.1f s: %s%n",
                name,
                bytes.length / 1e6,
                (System.nanoTime() - t0) / 1e9,
                firstLine(failure.getMessage()));
            failed.add(name);
            break;
          }
          long t1 = System.nanoTime();
          write(local.resolve(name + "-" + (i + WARMUP) + ".bin"), bytes, true);
          long t2 = System.nanoTime();
          write(local.resolve(name + "-" + (i + WARMUP) + ".nosync"), bytes, false);
          long t3 = System.nanoTime();
          byte[] back = store.get(key);
          long t4 = System.nanoTime();
          store.put("runs/bench/" + name + "/latest.json", latest, "application/json");
          long t5 = System.nanoTime();
          md5Store.put(key + ".md5", bytes);
          long t6 = System.nanoTime();
          store.delete(key + ".md5");
          long t6b = System.nanoTime();
          previousPut(store, key + ".previous", bytes);
          long t7 = System.nanoTime();
          store.delete(key + ".previous");
          long t7b = System.nanoTime();
          store.put(key + ".synced", bytes);
          fsync(objects.resolve(bucket).resolve(key + ".synced"));
          long t8 = System.nanoTime();
          store.delete(key + ".synced");
          long t8b = System.nanoTime();
          okHttpStore.put(key + ".okhttp", bytes);
          long t9 = System.nanoTime();
          store.delete(key + ".okhttp");
          if (!Arrays.equals(back, bytes)) {
            throw new IllegalStateException("read back other bytes for " + key);
          }
          if (i >= 0) {
            put[i] = (t1 - t0) / 1e6;
            fsync[i] = (t2 - t1) / 1e6;
            noSync[i] = (t3 - t2) / 1e6;
            get[i] = (t4 - t3) / 1e6;
            small[i] = (t5 - t4) / 1e6;
            withMd5[i] = (t6 - t5) / 1e6;
            previous[i] = (t7 - t6b) / 1e6;
            synced[i] = (t8 - t7b) / 1e6;
            okHttp[i] = (t9 - t8b) / 1e6;
          }
        }
        if (failed.contains(name)) {
          continue;
        }
        double mb = bytes.length / 1e6;
        double putMs = median(put);
        double fsyncMs = median(fsync);
        System.out.printf(
            Locale.ROOT,
            "%s (%.2f MB): ObjectStore.put %.1f ms (%.0f MB/s), "
                + "local write+fsync %.1f ms (%.0f MB/s), ratio %.2f%n",
            name,
            mb,
            putMs,
            mb / putMs * 1e3,
            fsyncMs,
            mb / fsyncMs * 1e3,
            putMs / fsyncMs);
        System.out.printf(
            Locale.ROOT,
            "%s   for information: local write without fsync %.1f ms, "
                + "ObjectStore.get %.1f ms, put of latest.json (%d bytes) %.1f ms%n",
            name,
            median(noSync),
            median(get),
            latest.length,
            median(small));
        System.out.printf(
            Locale.ROOT,
            "%s   for information: put with Content-MD5 %.1f ms (ratio %.2f), "
                + "previous path (MinIO putObject, signed body) %.1f ms (ratio %.2f)%n",
            name,
            median(withMd5),
            median(withMd5) / fsyncMs,
            median(previous),
            median(previous) / fsyncMs);
        System.out.printf(
            Locale.ROOT,
            "%s   for information: put + fsync of the file S3Proxy stored "
                + "%.1f ms (ratio %.2f), put over OkHttp %.1f ms (ratio %.2f)%n",
            name,
            median(synced),
            median(synced) / fsyncMs,
            median(okHttp),
            median(okHttp) / fsyncMs);
        syncedSum += median(synced);
        okHttpSum += median(okHttp);
        md5Sum += median(withMd5);
        previousSum += median(previous);
        s3Sum += putMs;
        localSum += fsyncMs;
      }
      if (!failed.isEmpty()) {
        System.out.println(
            "NOTE: the ratio covers only the sizes that could be uploaded; failed: "
                + String.join(", ", failed)
                + " (see bench/README.md)");
      }
      if (localSum == 0) {
        System.out.println("checkpoint-upload: no checkpoint could be uploaded");
        System.exit(1);
      }
      System.out.printf(
          Locale.ROOT,
          "for information: ratio with Content-MD5 %.2f, with the server's "
              + "file fsynced %.2f, over OkHttp %.2f, previous path %.2f%n",
          md5Sum / localSum,
          syncedSum / localSum,
          okHttpSum / localSum,
          previousSum / localSum);
      System.out.printf(Locale.ROOT, "checkpoint-upload: ratio %.2f%n", s3Sum / localSum);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    // The MinIO client's OkHttp dispatcher threads are not daemons and idle for 60 s.
    System.exit(0);
  }

  private static byte[] realCheckpoint(String architecture, LabeledImages all) {
    int per = SHAPE.size();
    LabeledImages train =
        new LabeledImages(
            SHAPE, Arrays.copyOf(all.pixels(), 64 * per), Arrays.copyOf(all.labels(), 64));
    LabeledImages val =
        new LabeledImages(
            SHAPE,
            Arrays.copyOfRange(all.pixels(), 64 * per, 128 * per),
            Arrays.copyOfRange(all.labels(), 64, 128));
    TrainingParams params =
        TrainingParams.builder()
            .epochs(1)
            .batchSize(32)
            .learningRate(0.001)
            .optimizer(Optimizer.ADAM)
            .seed(1)
            .device(Device.CPU)
            .build();
    byte[] checkpoint =
        new EpochTrainer()
            .run(
                new EpochJob(
                    architecture,
                    SHAPE,
                    10,
                    params,
                    1,
                    0.001,
                    train,
                    val,
                    null,
                    null,
                    null,
                    null,
                    null),
                null)
            .checkpoint();
    if (checkpoint == null) {
      throw new IllegalStateException(architecture + " diverged in the one-epoch run");
    }
    return checkpoint;
  }

  /** {@code ObjectStore.put} before: one signed {@code putObject} (part size = object size). */
  private static void previousPut(S3ObjectStore store, String key, byte[] bytes) {
    try {
      store
          .client()
          .putObject(
              PutObjectArgs.builder().bucket(store.bucket()).object(key).stream(
                      new ByteArrayInputStream(bytes),
                      bytes.length,
                      Math.max(5L << 20, bytes.length))
                  .contentType("application/octet-stream")
                  .build());
    } catch (Exception e) {
      throw new StoreException("previous-path put " + key + " failed: " + e.getMessage(), e, false);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String line = message.lines().findFirst().orElse("");
    int title = message.indexOf("<title>");
    if (title >= 0) {
      int end = message.indexOf("</title>", title);
      line +=
          " ... "
              + message
                  .substring(title + 7, end < 0 ? message.length() : end)
                  .replace("&apos;", "'");
    }
    return line.length() > 400 ? line.substring(0, 400) + "..." : line;
  }

  private static void write(Path file, byte[] bytes, boolean sync) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (sync) {
        channel.force(true);
      }
    }
  }

  private static void fsync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static double median(double[] values) {
    List<Double> sorted = new ArrayList<>();
    for (double v : values) {
      sorted.add(v);
    }
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
