package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BatchesTest {
  @Test
  void aRemainderUnderHalfABatchJoinsTheLastBatch() {
    Batches b = new Batches(225, 32);
    assertEquals(7, b.count());
    assertEquals(192, b.from(6));
    assertEquals(225, b.to(6), "the last batch takes 33 samples, not a batch of one after it");
    assertEquals(32, b.to(0));
  }

  @Test
  void aRemainderOfHalfABatchOrMoreIsABatchOfItsOwn() {
    Batches b = new Batches(760, 32);
    assertEquals(24, b.count());
    assertEquals(736, b.from(23));
    assertEquals(760, b.to(23));
    assertEquals(736, b.to(22));
    assertEquals(2, new Batches(48, 32).count());
  }

  @Test
  void fewerSamplesThanABatchAreOneBatchAndExactMultiplesHaveNoRemainder() {
    assertEquals(1, new Batches(5, 32).count());
    assertEquals(5, new Batches(5, 32).to(0));
    assertEquals(4, new Batches(128, 32).count());
    assertEquals(0, new Batches(0, 32).count());
  }

  @Test
  void everySampleIsInExactlyOneBatch() {
    for (int n = 1; n < 200; n++) {
      for (int size : new int[] {1, 7, 32, 64}) {
        Batches b = new Batches(n, size);
        int covered = 0;
        for (int step = 0; step < b.count(); step++) {
          assertEquals(covered, b.from(step), n + "/" + size + " step " + step);
          covered = b.to(step);
        }
        assertEquals(n, covered, n + "/" + size);
      }
    }
  }

  @Test
  void rejectsABatchSizeOfZero() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Batches(10, 0));
    assertEquals("batch size must be > 0: 0", e.getMessage());
  }
}
