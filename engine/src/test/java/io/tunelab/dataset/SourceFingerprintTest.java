package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tunelab.workflows.model.SampleShape;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Ingestor#fingerprint}: equal exactly when an ingest would read the same bytes with the
 * same options, whatever the threads, and computed without decoding.
 */
class SourceFingerprintTest {
  private static final SampleShape GREY28 = SampleShape.image(1, 28, 28);
  private static final IngestOptions OPTIONS = IngestOptions.of(GREY28, 42);

  @TempDir Path dir;

  private static String fingerprint(ImageSource source, IngestOptions options) throws IOException {
    return new Ingestor().fingerprint(source, options, IngestProgress.NONE);
  }

  private String fingerprint() throws IOException {
    return fingerprint(new LocalFolderSource(dir), OPTIONS);
  }

  @Test
  void sameFilesAndOptionsGiveTheSameFingerprintWhateverTheThreads() throws IOException {
    TestImages.export(dir, 12, 3, 0, 1, 2);
    String one =
        new Ingestor(1).fingerprint(new LocalFolderSource(dir), OPTIONS, IngestProgress.NONE);
    String two =
        new Ingestor(2).fingerprint(new LocalFolderSource(dir), OPTIONS, IngestProgress.NONE);
    assertNotNull(one);
    assertEquals(one, two);
    assertEquals(64, one.length());
  }

  @Test
  void oneChangedByteAddedOrRenamedFileChangesIt() throws IOException {
    TestImages.export(dir, 12, 3, 0, 1, 2);
    String before = fingerprint();
    Path file;
    try (var files = Files.list(dir.resolve("Trouser"))) {
      file = files.sorted().findFirst().orElseThrow();
    }
    byte[] original = Files.readAllBytes(file);
    byte[] changed = original.clone();
    changed[changed.length - 1] ^= 1;
    Files.write(file, changed);
    String afterChange = fingerprint();
    Files.write(file, original);
    assertEquals(before, fingerprint(), "restored bytes, same fingerprint");

    Path copy = dir.resolve("Trouser/extra.png");
    Files.write(copy, original);
    String afterAdd = fingerprint();
    Files.delete(copy);
    Path renamed = file.resolveSibling("renamed.png");
    Files.move(file, renamed);
    String afterRename = fingerprint();
    Files.move(renamed, file);
    Files.writeString(dir.resolve("Trouser/notes.txt"), "not an image");
    String afterRejectedFile = fingerprint();

    List<String> all = List.of(before, afterChange, afterAdd, afterRename, afterRejectedFile);
    assertEquals(all.size(), all.stream().distinct().count(), all.toString());
  }

  @Test
  void everyOptionIsPartOfIt() throws IOException {
    TestImages.export(dir, 12, 3, 0, 1, 2);
    ImageSource source = new LocalFolderSource(dir);
    List<String> all =
        List.of(
            fingerprint(source, OPTIONS),
            fingerprint(source, IngestOptions.of(GREY28, 43)),
            fingerprint(source, IngestOptions.of(SampleShape.image(1, 32, 32), 42)),
            fingerprint(source, IngestOptions.of(SampleShape.image(3, 28, 28), 42)),
            fingerprint(source, new IngestOptions(List.of(), 5, 42, GREY28, false)),
            fingerprint(source, new IngestOptions(List.of(), 0, 42, GREY28, true)),
            fingerprint(
                source,
                new IngestOptions(List.of("Trouser", "T-shirt_top"), 0, 42, GREY28, false)));
    assertEquals(all.size(), all.stream().distinct().count(), all.toString());
  }

  @Test
  void aFileThatCannotBeReadNowGivesNoFingerprint() throws IOException {
    TestImages.export(dir, 5, 1, 0, 1);
    ImageSource local = new LocalFolderSource(dir);
    ImageSource withLockedFile =
        () -> {
          List<SourceFile> files = new ArrayList<>(local.files());
          files.add(
              new SourceFile(
                  "Trouser/locked.png",
                  100,
                  () -> {
                    throw new AccessDeniedException("Trouser/locked.png");
                  }));
          return files;
        };
    assertNull(fingerprint(withLockedFile, OPTIONS));
  }

  @Test
  void aVersionTheSourceVouchesForIsUsedInsteadOfReadingTheBytes() throws IOException {
    TestImages.export(dir, 6, 2, 0, 1);
    AtomicInteger opened = new AtomicInteger();
    List<SourceFile> local = new LocalFolderSource(dir).files();
    ImageSource versioned =
        () ->
            local.stream()
                .map(
                    f ->
                        f.isFolder()
                            ? f
                            : new SourceFile(
                                f.path(),
                                f.size(),
                                () -> {
                                  opened.incrementAndGet();
                                  return f.open();
                                },
                                "etag:" + f.path().hashCode()))
                .toList();
    String changed = local.stream().filter(f -> !f.isFolder()).findFirst().orElseThrow().path();
    ImageSource otherVersion =
        () ->
            local.stream()
                .map(
                    f ->
                        f.isFolder()
                            ? f
                            : new SourceFile(
                                f.path(),
                                f.size(),
                                f.opener(),
                                f.path().equals(changed)
                                    ? "etag:new"
                                    : "etag:" + f.path().hashCode()))
                .toList();

    String a = fingerprint(versioned, OPTIONS);
    assertEquals(0, opened.get(), "no file read");
    assertEquals(a, fingerprint(versioned, OPTIONS));
    assertNotEquals(a, fingerprint(otherVersion, OPTIONS));
  }

  @Test
  void idxFilesAreHashedInsteadOfTheImagesMadeFromThem() throws IOException {
    Path idx = dir.resolve("idx");
    IdxSourceTest.writeIdx(TestImages.slice(TestImages.fashionMnist(), 0, 300), idx, "train", true);
    String first = fingerprint(new IdxSource(idx), OPTIONS);
    assertNotNull(first);
    assertEquals(first, fingerprint(new IdxSource(idx), OPTIONS));
    Files.writeString(
        idx.resolve(IdxSource.CLASSES_FILE),
        String.join("\n", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")));
    assertNotEquals(first, fingerprint(new IdxSource(idx), OPTIONS));
    Files.delete(idx.resolve(IdxSource.CLASSES_FILE));
    IdxSourceTest.writeIdx(TestImages.slice(TestImages.fashionMnist(), 1, 301), idx, "train", true);
    assertNotEquals(first, fingerprint(new IdxSource(idx), OPTIONS));
  }
}
