package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OneDnnGuardTest {
  @Test
  void capsOneDnnOnlyWhereTheCpuHidesItsCaches() {
    assertEquals(Optional.of("AVX"), OneDnnGuard.cap(Map.of(), false));
    assertEquals(Optional.empty(), OneDnnGuard.cap(Map.of(), true));
  }

  @Test
  void theUsersOwnSettingWins() {
    assertEquals(Optional.empty(), OneDnnGuard.cap(Map.of("ONEDNN_MAX_CPU_ISA", "AVX2"), false));
    assertEquals(Optional.empty(), OneDnnGuard.cap(Map.of("DNNL_MAX_CPU_ISA", "AVX2"), false));
  }
}
