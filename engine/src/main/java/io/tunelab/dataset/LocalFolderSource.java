package io.tunelab.dataset;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An {@link ImageSource} over a folder on the local disk. It lists every regular file below the
 * root, hidden or not, however deep, readable or not, and every folder as a marker ending in {@code
 * '/'}; it leaves judging them to the {@link Ingestor}. Symbolic links are not followed into
 * folders. A folder that cannot be listed is reported as a file whose opening fails, so it ends up
 * rejected with the reason.
 */
public final class LocalFolderSource implements ImageSource {
  private final Path root;

  /** Creates a source over a folder; nothing is read until {@link #files()}. */
  public LocalFolderSource(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  /** The folder this source reads. */
  public Path root() {
    return root;
  }

  /**
   * Lists every file and folder below the root, sorted by relative path.
   *
   * @throws BadInputException when the root does not exist or is not a folder
   * @throws IOException when the root itself cannot be listed
   */
  @Override
  public List<SourceFile> files() throws IOException {
    if (!Files.exists(root)) {
      throw new BadInputException("source folder '" + root + "' does not exist");
    }
    if (!Files.isDirectory(root)) {
      throw new BadInputException("source '" + root + "' is not a folder");
    }
    List<SourceFile> entries = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(root)) {
              entries.add(SourceFile.folder(relative(dir)));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            long size = attrs.isRegularFile() ? attrs.size() : -1;
            entries.add(new SourceFile(relative(file), size, () -> Files.newInputStream(file)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException failure)
              throws IOException {
            if (file.equals(root)) {
              throw failure;
            }
            entries.add(
                new SourceFile(
                    relative(file),
                    -1,
                    () -> {
                      throw failure;
                    }));
            return FileVisitResult.CONTINUE;
          }
        });
    entries.sort(Comparator.comparing(SourceFile::path));
    return entries;
  }

  private String relative(Path path) {
    StringBuilder sb = new StringBuilder();
    for (Path part : root.relativize(path)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part.toString());
    }
    return sb.toString();
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public String toString() {
    return "LocalFolderSource[" + root + "]";
  }
}
