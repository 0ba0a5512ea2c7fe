package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.SampleShape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationPolicyTest {
  private static final SampleShape GREY = SampleShape.image(1, 28, 28);
  private static final SampleShape COLOUR = SampleShape.image(3, 32, 24);

  private static byte[] garment(int index) {
    return TestImages.fashionMnist().image(index);
  }

  @Test
  void sameSeedGivesTheSameImagesAndDifferentSeedsDifferentOnes() {
    for (String name : new String[] {"light", "standard", "strong"}) {
      Augmenter augmenter = AugmentationPolicy.forName(name);
      Random a = new Random(5);
      Random b = new Random(5);
      Random c = new Random(6);
      int differing = 0;
      for (int i = 0; i < 20; i++) {
        byte[] image = garment(i);
        byte[] fromA = augmenter.apply(image, GREY, a);
        assertArrayEquals(fromA, augmenter.apply(image, GREY, b), name + " image " + i);
        assertEquals(image.length, fromA.length, "shape is preserved");
        if (!Arrays.equals(fromA, augmenter.apply(image, GREY, c))) {
          differing++;
        }
      }
      assertTrue(differing >= 15, name + ": only " + differing + " of 20 differ across seeds");
    }
  }

  @Test
  void colourImagesKeepTheirShapeAndChannelsMoveTogether() {
    byte[] card = TestImages.redBlueCard(32, 24);
    byte[] out = AugmentationPolicy.forName("strong").apply(card, COLOUR, new Random(3));
    assertEquals(card.length, out.length);
    int plane = 32 * 24;
    // Green was uniformly 0; geometry and photometry treat every pixel of it alike.
    for (int i = 0; i < plane; i++) {
      assertEquals(out[plane], out[plane + i], "green stays uniform at " + i);
    }
    assertFalse(Arrays.equals(card, out));
    assertThrows(
        IllegalArgumentException.class,
        () -> AugmentationPolicy.forName("light").apply(card, GREY, new Random(1)));
  }

  @Test
  void lightIsAFlipAndAWholePixelShiftOfTheSameImage() {
    byte[] image = garment(7);
    int sum = sum(image);
    Augmenter light = AugmentationPolicy.forName("light");
    Random rng = new Random(9);
    boolean flipSeen = false;
    for (int i = 0; i < 40; i++) {
      byte[] out = light.apply(image, GREY, rng);
      // Whole-pixel moves only: no new grey levels are created, only pixels pushed out.
      assertTrue(sum(out) <= sum);
      for (byte b : out) {
        assertTrue(contains(image, b), "value " + (b & 0xff) + " is not in the original");
      }
      flipSeen |= Arrays.equals(out, mirror(image));
    }
    byte[] noShift =
        new AugmentationPolicy("flip", true, 0, 1, 0, 0, 0).apply(image, GREY, new Random(1));
    assertTrue(Arrays.equals(noShift, image) || Arrays.equals(noShift, mirror(image)));
    assertFalse(flipSeen && Arrays.equals(image, mirror(image)));
  }

  @Test
  void noneIsTheIdentityAndUnknownNamesAreRefused() {
    assertSame(Augmenter.NONE, AugmentationPolicy.forName("none"));
    assertSame(Augmenter.NONE, AugmentationPolicy.forName(" None "));
    byte[] image = garment(0);
    assertSame(image, Augmenter.NONE.apply(image, GREY, new Random(1)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AugmentationPolicy.forName("extreme"));
    assertEquals(
        "unknown augmentation 'extreme'; allowed: none, light, standard, strong", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new AugmentationPolicy("bad", true, 0.9, 1, 0, 0, 0));
  }

  @Test
  void strongChangesImagesMoreThanStandard() {
    double standard = meanChange("standard");
    double strong = meanChange("strong");
    assertTrue(standard > 0, "standard changes images");
    assertTrue(strong > standard, "strong " + strong + " > standard " + standard);
  }

  private static double meanChange(String name) {
    Augmenter augmenter = AugmentationPolicy.forName(name);
    Random rng = new Random(21);
    double total = 0;
    for (int i = 0; i < 50; i++) {
      byte[] image = garment(i);
      byte[] out = augmenter.apply(image, GREY, rng);
      byte[] flipped = mirror(image);
      total += Math.min(distance(image, out), distance(flipped, out));
    }
    return total / 50;
  }

  private static double distance(byte[] a, byte[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return d / a.length;
  }

  private static byte[] mirror(byte[] image) {
    byte[] out = new byte[image.length];
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        out[y * 28 + x] = image[y * 28 + 27 - x];
      }
    }
    return out;
  }

  private static int sum(byte[] image) {
    int s = 0;
    for (byte b : image) {
      s += b & 0xff;
    }
    return s;
  }

  private static boolean contains(byte[] image, byte value) {
    for (byte b : image) {
      if (b == value) {
        return true;
      }
    }
    return false;
  }
}
