package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The JIT compiler threads get the lower priority, and no other thread's changes. */
class CompilerThreadsTest {
  @Test
  void compilerThreadsAndOnlyThemGetTheLowerPriority() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
    Map<String, Integer> before = niceByThread();
    int changed = CompilerThreads.yieldToTraining();
    Map<String, Integer> after = niceByThread();
    int compilers = 0;
    for (Map.Entry<String, Integer> e : after.entrySet()) {
      if (e.getKey().contains("CompilerThre")) {
        compilers++;
        assertEquals(CompilerThreads.NICE, e.getValue(), e.getKey());
      } else if (before.containsKey(e.getKey())) {
        assertEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " keeps its priority");
      }
    }
    assertFalse(compilers == 0, "HotSpot has compiler threads");
    assertEquals(compilers, changed);
  }

  /** The nice value (field 19 of its stat) of each thread, by "tid name". */
  private static Map<String, Integer> niceByThread() throws IOException {
    Map<String, Integer> nice = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          nice.put(task.getFileName() + " " + name,
              Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
        } catch (IOException e) {
          // ended while we looked
        }
      }
    }
    return nice;
  }
}
