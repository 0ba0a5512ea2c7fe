package io.tunelab.cli;

import io.tunelab.registry.ModelRegistry;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.training.TorchScriptException;
import io.tunelab.training.TorchScriptModules;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * {@code run --pretrained FILE.pt}: a TorchScript file checked on this machine, then uploaded
 * (content-addressed, {@link Keys#torchScriptArchive}) and registered as model {@code pt-<first 12
 * hex digits of its SHA-256>-<image size>} of architecture {@code torchscript}, so that the
 * experiment names it like any registered model. The checks, each a usage error (exit 2) naming the
 * file: it exists and is a readable file; it is a zip archive; the archive holds TorchScript code
 * (a {@code torch.save} checkpoint holds pickled Python objects only); libtorch loads it; and the
 * module takes a 3 x S x S image and returns one tensor per image.
 */
public final class TorchScriptImport {
  private static final int HASH_DIGITS = 12;

  private final String argument;
  private final SampleShape shape;
  private final byte[] archive;
  private final String sha256;
  private final long outputs;

  private TorchScriptImport(
      String argument, SampleShape shape, byte[] archive, String sha256, long outputs) {
    this.argument = argument;
    this.shape = shape;
    this.archive = archive;
    this.sha256 = sha256;
    this.outputs = outputs;
  }

  /** Whether a {@code --pretrained} value names a file rather than a registered model. */
  public static boolean isFile(String pretrained) {
    String lower = pretrained.toLowerCase(Locale.ROOT);
    return lower.endsWith(".pt")
        || lower.endsWith(".pth")
        || pretrained.indexOf('/') >= 0
        || pretrained.indexOf(java.io.File.separatorChar) >= 0;
  }

  /**
   * Reads and checks a TorchScript file for images of {@code imageSize} x {@code imageSize} in
   * three channels.
   *
   * @throws UsageException when the file cannot serve, with the reason
   */
  public static TorchScriptImport check(String file, int imageSize) {
    String prefix = "--pretrained " + file + ": ";
    Path path = Path.of(file).toAbsolutePath().normalize();
    if (!Files.exists(path)) {
      throw new UsageException(prefix + "no such file");
    }
    if (!Files.isRegularFile(path)) {
      throw new UsageException(prefix + "not a file");
    }
    if (!Files.isReadable(path)) {
      throw new UsageException(prefix + "not readable");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UsageException(prefix + "cannot be read: " + e.getMessage());
    }
    requireTorchScriptZip(path, prefix);
    SampleShape shape = SampleShape.image(3, imageSize, imageSize);
    long outputs;
    try {
      outputs = TorchScriptModules.check(bytes, shape);
    } catch (TorchScriptException e) {
      throw new UsageException(
          prefix
              + e.getMessage()
              + (e.getMessage().contains("cannot take") ? " (choose another --image-size?)" : ""));
    }
    return new TorchScriptImport(file, shape, bytes, sha256(bytes), outputs);
  }

  /** Reads the zip's central directory (PyTorch's stored entries defeat a streaming reader). */
  private static void requireTorchScriptZip(Path path, String prefix) {
    boolean pickle = false;
    boolean code = false;
    int entries = 0;
    try (ZipFile zip = new ZipFile(path.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        entries++;
        String name = e.getName();
        pickle |= name.endsWith("/data.pkl") || "data.pkl".equals(name);
        code |= name.contains("/code/") || name.startsWith("code/");
      }
    } catch (ZipException e) {
      entries = 0;
    } catch (IOException e) {
      throw new UsageException(prefix + "cannot be read as a zip archive: " + e.getMessage());
    }
    String howTo =
        "; save the model with torch.jit.save(torch.jit.script(model), 'model.pt')"
            + " or torch.jit.trace";
    if (entries == 0) {
      throw new UsageException(prefix + "not a TorchScript archive (not a zip file)" + howTo);
    }
    if (pickle && !code) {
      throw new UsageException(
          prefix
              + "a PyTorch checkpoint saved with torch.save (pickled"
              + " Python objects, no TorchScript code), which cannot run outside Python"
              + howTo);
    }
    if (!pickle || !code) {
      throw new UsageException(
          prefix
              + "a zip file but not a TorchScript archive (no "
              + (pickle ? "code/ folder" : "data.pkl")
              + ")"
              + howTo);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** The registry name this file gets: {@code pt-<12 hex digits>-<image size>}. */
  public String modelName() {
    return "pt-" + sha256.substring(0, HASH_DIGITS) + "-" + shape.height();
  }

  /** The image shape the module is fed. */
  public SampleShape shape() {
    return shape;
  }

  /** How many values the module returns per image (the new head's input size). */
  public long outputs() {
    return outputs;
  }

  /**
   * Uploads the archive unless the bucket already holds it, and registers it (again, when its
   * record is missing or differs).
   *
   * @return the model's record
   */
  public ModelInfo register(ObjectStore store) {
    String key = Keys.torchScriptArchive(sha256);
    if (!store.exists(key)) {
      store.put(key, archive, "application/octet-stream");
    }
    return new ModelRegistry(store).registerTorchScript(modelName(), shape, key);
  }

  @Override
  public String toString() {
    return argument
        + " (TorchScript, sha256 "
        + sha256.substring(0, HASH_DIGITS)
        + "..., "
        + shape
        + " images -> "
        + outputs
        + " outputs)";
  }
}
