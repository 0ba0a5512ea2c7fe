package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderSourceTest {
  @TempDir Path dir;

  @Test
  void listsEveryFileAndFolderSortedWithSlashes() throws IOException {
    Files.createDirectories(dir.resolve("b/nested/deeper"));
    Files.createDirectories(dir.resolve(".hidden"));
    Files.createDirectories(dir.resolve("empty"));
    Files.writeString(dir.resolve("b/nested/deeper/x.png"), "x");
    Files.writeString(dir.resolve(".hidden/y.png"), "yy");
    Files.writeString(dir.resolve("b/.z"), "zzz");
    Files.writeString(dir.resolve("a.txt"), "");

    List<SourceFile> files = new LocalFolderSource(dir).files();
    assertEquals(
        List.of(
            ".hidden/",
            ".hidden/y.png",
            "a.txt",
            "b/",
            "b/.z",
            "b/nested/",
            "b/nested/deeper/",
            "b/nested/deeper/x.png",
            "empty/"),
        files.stream().map(SourceFile::path).toList());
    SourceFile y = files.get(1);
    assertEquals(2, y.size());
    assertEquals("y.png", y.name());
    try (InputStream in = y.open()) {
      assertArrayEquals("yy".getBytes(), in.readAllBytes());
    }
    assertTrue(files.get(0).isFolder());
    assertEquals("deeper", files.get(6).name());
  }

  @Test
  void missingOrNonFolderSourceIsBadInput() throws IOException {
    BadInputException missing =
        assertThrows(
            BadInputException.class, () -> new LocalFolderSource(dir.resolve("gone")).files());
    assertEquals(
        "source folder '" + dir.resolve("gone") + "' does not exist", missing.getMessage());
    Path file = Files.writeString(dir.resolve("f"), "");
    BadInputException notFolder =
        assertThrows(BadInputException.class, () -> new LocalFolderSource(file).files());
    assertEquals("source '" + file + "' is not a folder", notFolder.getMessage());
  }

  @Test
  void sourceFilePathsMustBeRelative() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new SourceFile("/abs.png", 1, InputStream::nullInputStream));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SourceFile("a\\b.png", 1, InputStream::nullInputStream));
    assertEquals("cat/", SourceFile.folder("cat").path());
  }
}
