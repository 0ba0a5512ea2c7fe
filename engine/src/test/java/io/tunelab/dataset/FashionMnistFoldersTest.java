package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistFoldersTest {
  @TempDir Path dir;

  @Test
  void exportsTheChosenNumberOfPngsPerClass() throws IOException {
    LabeledImages mnist = TestImages.fashionMnist();
    List<Path> a = FashionMnistFolders.export(mnist, new int[] {9, 3}, 4, 1, dir.resolve("a"));
    assertEquals(8, a.size());
    assertEquals(
        4,
        a.stream()
            .filter(p -> p.getParent().getFileName().toString().equals("Ankle_boot"))
            .count());
    List<Path> b = FashionMnistFolders.export(mnist, new int[] {9, 3}, 4, 1, dir.resolve("b"));
    assertEquals(names(a), names(b), "same seed, same images");
    List<Path> c = FashionMnistFolders.export(mnist, new int[] {9, 3}, 4, 2, dir.resolve("c"));
    assertNotEquals(names(a), names(c));
    for (Path p : a) {
      int index = Integer.parseInt(p.getFileName().toString().substring(0, 5));
      assertEquals(
          FashionMnistFolders.CLASS_NAMES.get(mnist.label(index)),
          p.getParent().getFileName().toString());
      BufferedImage image = ImageIO.read(p.toFile());
      byte[] pixels = new byte[784];
      image.getRaster().getDataElements(0, 0, 28, 28, pixels);
      assertArrayEquals(mnist.image(index), pixels);
    }
    assertEquals(10, FashionMnistFolders.CLASS_NAMES.size());
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(p -> p.getParent().getFileName() + "/" + p.getFileName()).toList();
  }
}
