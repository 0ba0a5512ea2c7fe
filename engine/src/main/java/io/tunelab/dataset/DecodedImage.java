package io.tunelab.dataset;

/**
 * One source image after validation and decoding, already resized to the target height and width
 * but still in its own channel count.
 *
 * @param sha256 hex SHA-256 of the file's bytes
 * @param width original width in pixels
 * @param height original height in pixels
 * @param grey whether every pixel is grey (red, green and blue equal, or a grey image type)
 * @param pixels packed CHW bytes at the target size: 1 channel when grey, else 3
 * @param dHash 64-bit perceptual hash of the original image
 */
record DecodedImage(String sha256, int width, int height, boolean grey, byte[] pixels, long dHash) {

  /**
   * The identity of the image's content: hex SHA-256 over its original size, grey flag and pixels
   * at the target size. Two files with the same pixels (a PNG saved again with other compression, a
   * lossless conversion to BMP, renamed copies) share it, though their bytes differ.
   */
  String contentKey() {
    return DatasetVersions.sha256(
        java.nio.ByteBuffer.allocate(9 + pixels.length)
            .putInt(width)
            .putInt(height)
            .put((byte) (grey ? 1 : 0))
            .put(pixels)
            .array());
  }

  /** The pixels with the requested number of channels (1: luminance, 3: grey replicated). */
  byte[] pixels(int channels) {
    int ownChannels = grey ? 1 : 3;
    if (channels == ownChannels) {
      return pixels;
    }
    int plane = pixels.length / ownChannels;
    if (channels == 3) {
      byte[] out = new byte[plane * 3];
      System.arraycopy(pixels, 0, out, 0, plane);
      System.arraycopy(pixels, 0, out, plane, plane);
      System.arraycopy(pixels, 0, out, 2 * plane, plane);
      return out;
    }
    byte[] out = new byte[plane];
    for (int i = 0; i < plane; i++) {
      out[i] =
          ImageDecoder.luminance(
              pixels[i] & 0xff, pixels[plane + i] & 0xff, pixels[2 * plane + i] & 0xff);
    }
    return out;
  }
}
