package io.tunelab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What became of the images on their way into the model: how many were colour or grey, how many had
 * another size than the model's input, and what they were made into. A report's reader learns from
 * it that colour photos were fed to a grey model, or that thumbnails were blown up.
 */
public final class ImageInput {
  private ImageInput() {}

  /**
   * One sentence about the report's {@code dataset} section, or {@code null} when it lacks the
   * counts (reports written before they were recorded).
   */
  public static String sentence(JsonNode dataset) {
    JsonNode sizes = dataset.path("imageSizes");
    String shape = dataset.path("shape").asText("");
    String[] dims = shape.split("x");
    if (!sizes.isObject()
        || sizes.isEmpty()
        || dims.length != 3
        || !dataset.path("colourImages").isInt()) {
      return null;
    }
    int channels = Integer.parseInt(dims[0]);
    String target = dims[2] + "x" + dims[1];
    int colour = dataset.path("colourImages").asInt();
    int grey = dataset.path("greyImages").asInt();
    int images = 0;
    int resized = 0;
    List<String> others = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = sizes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> size = it.next();
      int count = size.getValue().asInt();
      images += count;
      if (!size.getKey().equals(target)) {
        resized += count;
        others.add(size.getKey() + " (" + count + ")");
      }
    }
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Images as read: %d (%d colour, %d grey), model input %s",
                images,
                colour,
                grey,
                shape));
    List<String> changes = new ArrayList<>();
    if (channels == 1 && colour > 0) {
      changes.add(colour + " colour " + plural(colour) + " made grey");
    } else if (channels == 3 && grey > 0) {
      changes.add(grey + " grey " + plural(grey) + " given three equal channels");
    }
    if (resized > 0) {
      int shown = Math.min(others.size(), 5);
      changes.add(
          resized
              + " "
              + plural(resized)
              + " resized to "
              + target
              + " from "
              + String.join(", ", others.subList(0, shown))
              + (others.size() > shown ? " and " + (others.size() - shown) + " other sizes" : ""));
    }
    s.append(changes.isEmpty() ? "; none changed." : "; " + String.join("; ", changes) + ".");
    return s.toString();
  }

  private static String plural(int n) {
    return n == 1 ? "image" : "images";
  }
}
