package io.tunelab.bench;

import java.util.Random;

/** The epoch order of the plain training loops: a Fisher–Yates permutation of 0..n-1. */
final class Shuffle {
  private Shuffle() {}

  static int[] permutation(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
