package io.tunelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code --pretrained FILE.pt} that cannot serve is a usage error (exit 2) naming the file and
 * what is wrong, found before any service is contacted.
 */
@Tag("integration")
class TorchScriptFileErrorsTest {
  @TempDir Path home;
  Path data;

  @BeforeEach
  void folder() throws Exception {
    data = Files.createDirectories(home.resolve("data"));
  }

  private CliHarness.Result run(String pretrained, String... more) {
    String[] args = {
      "run", "--data", data.toString(), "--pretrained", pretrained, "--home", home.toString()
    };
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return CliHarness.raw(all);
  }

  private static void assertUsage(CliHarness.Result r, String expected) {
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = home.resolve("nope.pt");
    assertUsage(run(missing.toString()), "--pretrained " + missing + ": no such file");
  }

  @Test
  void aFolderIsNotAModel() throws Exception {
    Path folder = Files.createDirectories(home.resolve("model.pt"));
    assertUsage(run(folder.toString()), "not a file");
  }

  @Test
  void aFileThatIsNoZipIsNotTorchScript() throws Exception {
    Path text = Files.writeString(home.resolve("model.pt"), "hello");
    assertUsage(run(text.toString()), "not a TorchScript archive (not a zip file)");
  }

  @Test
  void aTorchSaveCheckpointIsRecognisedAndExplained() throws Exception {
    Path pickle = home.resolve("weights.pth");
    try (OutputStream out = Files.newOutputStream(pickle);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("weights/data.pkl"));
      zip.write(new byte[] {(byte) 0x80, 2});
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("weights/data/0"));
      zip.write(new byte[16]);
      zip.closeEntry();
    }
    CliHarness.Result r = run(pickle.toString());
    assertUsage(r, "saved with torch.save");
    assertTrue(r.err().contains("torch.jit.save"), r.err());
  }

  @Test
  void imageSizeIsCheckedAndBelongsToFilesOnly() throws Exception {
    Path text = Files.writeString(home.resolve("model.pt"), "hello");
    assertUsage(run(text.toString(), "--image-size", "4"), "--image-size 4: must be 8 to 1024");
    assertUsage(
        run("registered-model", "--image-size", "64"),
        "--image-size applies to --pretrained FILE.pt only");
  }
}
