package io.tunelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.storage.Json;
import org.junit.jupiter.api.Test;

/** The sentence about what became of the images on their way into the model. */
class ImageInputTest {
  private static JsonNode dataset(String json) throws Exception {
    return Json.mapper().readTree(json);
  }

  @Test
  void colourImagesOfOtherSizesForAGreyModel() throws Exception {
    JsonNode d =
        dataset(
            "{\"shape\":\"1x28x28\",\"colourImages\":599,\"greyImages\":1,"
                + "\"imageSizes\":{\"24x24\":100,\"28x28\":120,\"32x32\":130,\"40x40\":125,\"64x64\":125}}");
    assertEquals(
        "Images as read: 600 (599 colour, 1 grey), model input 1x28x28; 599 colour "
            + "images made grey; 480 images resized to 28x28 from 24x24 (100), 32x32 (130), "
            + "40x40 (125), 64x64 (125).",
        ImageInput.sentence(d));
  }

  @Test
  void greyImagesForAColourModelAndManySizes() throws Exception {
    JsonNode d =
        dataset(
            "{\"shape\":\"3x32x32\",\"colourImages\":0,\"greyImages\":7,"
                + "\"imageSizes\":{\"10x10\":1,\"11x10\":1,\"12x10\":1,\"13x10\":1,\"14x10\":1,"
                + "\"15x10\":1,\"16x10\":1}}");
    assertEquals(
        "Images as read: 7 (0 colour, 7 grey), model input 3x32x32; 7 grey images given "
            + "three equal channels; 7 images resized to 32x32 from 10x10 (1), 11x10 (1), 12x10 (1), "
            + "13x10 (1), 14x10 (1) and 2 other sizes.",
        ImageInput.sentence(d));
  }

  @Test
  void imagesThatFitAsTheyAreAndOldReports() throws Exception {
    assertEquals(
        "Images as read: 50 (0 colour, 50 grey), model input 1x28x28; none changed.",
        ImageInput.sentence(
            dataset(
                "{\"shape\":\"1x28x28\",\"colourImages\":0,"
                    + "\"greyImages\":50,\"imageSizes\":{\"28x28\":50}}")));
    assertNull(ImageInput.sentence(dataset("{\"shape\":\"1x28x28\"}")));
  }
}
