package io.tunelab.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The repository root's {@code .dockerignore}, read as Docker reads it for the common cases:
 * patterns relative to the context root, {@code **} across folders, a trailing {@code /} ignored, a
 * pattern that matches a folder excluding everything below it, {@code !} re-including.
 */
final class DockerIgnore {
  private record Rule(PathMatcher matcher, boolean include) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  static DockerIgnore load(Path file) throws IOException {
    List<Rule> rules = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String pattern = line.strip();
      if (pattern.isEmpty() || pattern.startsWith("#")) {
        continue;
      }
      boolean include = pattern.startsWith("!");
      pattern = include ? pattern.substring(1) : pattern;
      pattern = pattern.replaceAll("^/+", "").replaceAll("/+$", "");
      rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pattern), include));
      if (pattern.startsWith("**/")) {
        // Docker's ** also matches no folder at all: **/target is target at the root too
        rules.add(
            new Rule(
                FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)), include));
      }
    }
    return new DockerIgnore(rules);
  }

  /** Whether a path of the build context (relative, with /) is left out of it. */
  boolean excludes(String path) {
    boolean excluded = false;
    for (Rule rule : rules) {
      // a rule matching the path or a folder above it decides, the last one winning
      for (Path p = Path.of(path); p != null; p = p.getParent()) {
        if (rule.matcher().matches(p)) {
          excluded = !rule.include();
          break;
        }
      }
    }
    return excluded;
  }
}
