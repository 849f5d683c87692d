package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubernetes' $(VAR) rules, case by case (from its expansion package's own cases). */
class EnvExpansionTest {

  private final Map<String, String> vars = Map.of("VAR_A", "A", "VAR_EMPTY", "");

  @Test
  void definedVariablesAreReplacedAndUndefinedOnesKeptAsWritten() {
    assertThat(EnvExpansion.expand("$(VAR_A)-$(VAR_EMPTY)-$(VAR_NONE)", vars)).isEqualTo("A--$(VAR_NONE)");
  }

  @Test
  void aDoubleDollarIsALiteralDollarAndStopsExpansion() {
    assertThat(EnvExpansion.expand("$$(VAR_A) $$ $$$(VAR_A)", vars)).isEqualTo("$(VAR_A) $ $A");
  }

  @Test
  void dollarsThatStartNoReferenceAreLeftAlone() {
    assertThat(EnvExpansion.expand("$VAR_A ${VAR_A} $(VAR_A trailing $", vars))
        .isEqualTo("$VAR_A ${VAR_A} $(VAR_A trailing $");
  }
}
