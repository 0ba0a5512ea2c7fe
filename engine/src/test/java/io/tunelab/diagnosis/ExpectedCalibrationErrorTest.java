package io.tunelab.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpectedCalibrationErrorTest {

  @Test
  void handComputedExample() {
    // confidences 0.95, 0.95 (bin 14: one right, one wrong), 0.65, 0.65 (bin 9: both right),
    // 0.30 (bin 4: wrong).
    // ECE = 2/5·|0.5 − 0.95| + 2/5·|1 − 0.65| + 1/5·|0 − 0.30| = 0.18 + 0.14 + 0.06 = 0.38
    int[] labels = {0, 1, 2, 0, 1};
    int[] predicted = {0, 0, 2, 0, 2};
    float[] confidence = {0.95f, 0.95f, 0.65f, 0.65f, 0.30f};
    ExpectedCalibrationError.Result r = ExpectedCalibrationError.of(labels, predicted, confidence);
    assertEquals(0.38, r.ece(), 1e-6);
    assertEquals(0.6, r.accuracy(), 1e-9);
    assertEquals(0.70, r.meanConfidence(), 1e-6);
  }

  @Test
  void binsAreEqualWidthAndRightClosed() {
    assertEquals(0, ExpectedCalibrationError.bin(0.0));
    assertEquals(0, ExpectedCalibrationError.bin(1.0 / 15));
    assertEquals(1, ExpectedCalibrationError.bin(1.0 / 15 + 0.001));
    assertEquals(2, ExpectedCalibrationError.bin(0.2f));
    assertEquals(14, ExpectedCalibrationError.bin(1.0));
    assertEquals(14, ExpectedCalibrationError.bin(0.94));
    assertEquals(13, ExpectedCalibrationError.bin(0.93));
  }

  @Test
  void calibratedPredictionsHaveZeroErrorAndBinsDoNotCancel() {
    // 10 images at confidence 0.8, 8 right: perfectly calibrated
    int[] labels = new int[10];
    int[] predicted = new int[10];
    float[] confidence = new float[10];
    for (int i = 0; i < 10; i++) {
      predicted[i] = i < 8 ? 0 : 1;
      confidence[i] = 0.8f;
    }
    assertEquals(0.0, ExpectedCalibrationError.of(labels, predicted, confidence).ece(), 1e-6);
    // over- and under-confident halves in different bins add up instead of cancelling:
    // 5 images at 0.9 with 2 right (|0.4 − 0.9|), 5 at 0.3 with 4 right (|0.8 − 0.3|)
    // → 0.5·0.5 + 0.5·0.5 = 0.5
    int[] p2 = {0, 0, 1, 1, 1, 0, 0, 0, 0, 1};
    float[] c2 = {0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f};
    assertEquals(0.5, ExpectedCalibrationError.of(new int[10], p2, c2).ece(), 1e-6);
  }

  @Test
  void binsAreWhatTheErrorIsMadeOf() {
    int[] labels = {0, 1, 2, 0, 1};
    int[] predicted = {0, 0, 2, 0, 2};
    float[] confidence = {0.95f, 0.95f, 0.65f, 0.65f, 0.30f};
    EpochPredictions p = new EpochPredictions(3, labels, predicted, confidence, new float[5]);
    java.util.List<ExpectedCalibrationError.Bin> bins = ExpectedCalibrationError.bins(p);
    assertEquals(ExpectedCalibrationError.BINS, bins.size());
    assertEquals(2, bins.get(14).count());
    assertEquals(0.5, bins.get(14).accuracy(), 1e-9);
    assertEquals(0.95, bins.get(14).meanConfidence(), 1e-6);
    assertEquals(2, bins.get(9).count());
    assertEquals(1, bins.get(4).count());
    assertEquals(0, bins.get(0).count());
    assertTrue(Double.isNaN(bins.get(0).accuracy()));
    assertEquals(9 / 15.0, bins.get(9).low(), 1e-12);
    assertEquals(10 / 15.0, bins.get(9).high(), 1e-12);
    double ece = 0;
    for (ExpectedCalibrationError.Bin b : bins) {
      if (b.count() > 0) {
        ece += b.count() * Math.abs(b.accuracy() - b.meanConfidence()) / p.size();
      }
    }
    assertEquals(ExpectedCalibrationError.of(p).ece(), ece, 1e-9);
  }
}
