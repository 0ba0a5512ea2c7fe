package io.tunelab.training;

import java.util.Random;

/**
 * Derives every random seed of an epoch from the experiment seed, so that an epoch depends only on
 * (seed, epoch) and never on what ran before it in the process.
 */
final class Seeds {
  private static final long SALT_INIT = 0x494e4954L; // "INIT"
  private static final long SALT_ORDER = 0x4f524445L; // "ORDE"
  private static final long SALT_TORCH = 0x544f5243L; // "TORC"
  private static final long SALT_AUGMENT = 0x41554745L; // "AUGE"
  private static final long SALT_REINIT = 0x5245494eL; // "REIN"
  private static final long SALT_STEP = 0x53544550L; // "STEP"

  private Seeds() {}

  /** Mixes several values into one well-spread 64-bit value (SplitMix64 finaliser per part). */
  static long mix(long... parts) {
    long h = 0x9E3779B97F4A7C15L;
    for (long part : parts) {
      h = mix64(h ^ mix64(part + 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The engine seed used right before parameters are initialised. */
  static int initSeed(long seed) {
    return (int) mix(seed, SALT_INIT);
  }

  /** The engine seed for an epoch's training loop (dropout masks). */
  static int torchSeed(long seed, int epoch) {
    return (int) mix(seed, epoch, SALT_TORCH);
  }

  /**
   * The engine seed for one step of an epoch, used instead of {@link #torchSeed} when epochs are
   * checkpointed part-way: a continued epoch then draws the same dropout masks as an uninterrupted
   * one.
   */
  static int stepSeed(long seed, int epoch, int step) {
    return (int) mix(seed, epoch, step, SALT_STEP);
  }

  /** The seed of the {@link Random} that shuffles an epoch's training data. */
  static long orderSeed(long seed, int epoch) {
    return mix(seed, epoch, SALT_ORDER);
  }

  /** The seed of the {@link Random} given to the augmenter for one image in one epoch. */
  static long augmentSeed(long seed, int epoch, int index) {
    return mix(seed, epoch, index, SALT_AUGMENT);
  }

  /**
   * The seed of the {@link Random} that re-initialises one parameter of a TorchScript module, from
   * the experiment seed and the parameter's name in the module ({@link String#hashCode()} is
   * specified by the language, so the value is the same on every JVM).
   */
  static long reinitSeed(long seed, String parameterName) {
    return mix(seed, parameterName.hashCode(), parameterName.length(), SALT_REINIT);
  }

  /** A Fisher–Yates permutation of {@code 0..n-1} drawn from {@link #orderSeed}. */
  static int[] permutation(int n, long seed, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random rng = new Random(orderSeed(seed, epoch));
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
