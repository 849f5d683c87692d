package dev.sparkgate.gateway.placement;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code SPARKGATE_WARM_SESSIONS} as the operator writes it: a number for every runtime, or one per Spark line. */
class WarmPoolSizesTest {

    private static final List<String> LINES = List.of("4.1", "3.5");

    @Test
    void aNumberIsThatManyDriversOfEveryRuntime() {
        assertThat(WarmPool.sizes("2", LINES)).containsExactlyInAnyOrderEntriesOf(Map.of("4.1", 2, "3.5", 2));
    }

    @Test
    void linesMayEachHaveTheirOwnSizeAndNoneOrZeroIsNoPool() {
        assertThat(WarmPool.sizes("3.5=1, 4.1=0", LINES)).containsExactlyEntriesOf(Map.of("3.5", 1));
        assertThat(WarmPool.sizes("", LINES)).isEmpty();
        assertThat(WarmPool.sizes("0", LINES)).isEmpty();
    }

    @Test
    void aSizeThatIsNotOneSaysWhatToWrite() {
        for (String bad : List.of("two", "-1", "3.4=1", "3.5=", "3.5=x")) {
            assertThatThrownBy(() -> WarmPool.sizes(bad, LINES)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SPARKGATE_WARM_SESSIONS is '" + bad + "'")
                    .hasMessageContaining("[4.1, 3.5]").hasMessageContaining("3.5=1,4.1=1");
        }
    }
}
