package dev.sparkgate.driver.python;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The end-of-cell fences in the Python process's real stdout and stderr, and the text around them. */
class FencedOutputTest {

    private final StringBuilder text = new StringBuilder();
    private final List<String> events = new ArrayList<>();
    private final FencedOutput output = new FencedOutput(
            t -> {
                text.append(t);
                events.add("text:" + t);
            },
            id -> events.add("fence:" + id));

    @Test
    @DisplayName("a fence is taken out of the text and reported after the text written before it")
    void fenceBetweenText() {
        output.accept("before\n\0sparkgate-fence:12\0after\n");

        assertThat(events).containsExactly("text:before\n", "fence:12", "text:after\n");
    }

    @Test
    @DisplayName("a fence split across reads is recognised, and the text before it is not held back")
    void fenceSplitAcrossReads() {
        output.accept("ls output\n\0sparkg");
        assertThat(text).hasToString("ls output\n");

        output.accept("ate-fence:7");
        output.accept("\0");

        assertThat(events).containsExactly("text:ls output\n", "fence:7");
    }

    @Test
    @DisplayName("a NUL that starts no fence is the user's text")
    void userNulIsText() {
        output.accept("binary\0data\0");
        output.accept("\0sparkgate-fence:oops\0 and more");

        assertThat(text).hasToString("binary\0data\0\0sparkgate-fence:oops\0 and more");
        assertThat(events).noneMatch(e -> e.startsWith("fence:"));
    }
}
