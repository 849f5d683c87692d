package dev.sparkgate.jupyter;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KernelHistoryTest {

    private final KernelHistory history = new KernelHistory();

    KernelHistoryTest() {
        history.add(1, "val a = 1", "a: Int = 1");
        history.add(2, "a + 1", "res0: Int = 2");
        history.add(3, "val b = 2", null);
        history.add(4, "a + 1", "res1: Int = 2");
    }

    @Test
    void tailGivesTheLastCellsWithTheirOutputsWhenAsked() {
        var reply = history.answer(request(Map.of("hist_access_type", "tail", "n", 2, "output", true)));

        assertThat(reply).containsExactly(List.of(1, 3, Arrays.asList("val b = 2", null)),
                List.of(1, 4, Arrays.asList("a + 1", "res1: Int = 2")));
    }

    @Test
    void rangeStopsBeforeStop() {
        var reply = history.answer(request(Map.of("hist_access_type", "range", "session", 1, "start", 2, "stop", 3)));

        assertThat(reply).containsExactly(List.of(1, 2, "a + 1"));
    }

    @Test
    void searchGlobsAndCanKeepEachInputOnce() {
        assertThat(history.answer(request(Map.of("hist_access_type", "search", "pattern", "val*")))).hasSize(2);
        assertThat(history.answer(request(Map.of("hist_access_type", "search", "pattern", "a ?*")))).hasSize(2);
        assertThat(history.answer(request(Map.of("hist_access_type", "search", "pattern", "a*", "unique", true))))
                .containsExactly(List.of(1, 4, "a + 1"));
    }

    private static JupyterMessage request(Map<String, Object> content) {
        return new JupyterMessage(Map.of("msg_type", "history_request"), null, null, content, "shell", null);
    }
}
