package dev.sparkgate.driver.output;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedBundleTest {

    @Test
    void aBundleWithinTheBoundIsSentAsItIs() {
        Map<String, Object> bundle = Map.of("text/plain", "42", "text/html", "<b>42</b>");

        assertThat(BoundedBundle.of(bundle)).isSameAs(bundle);
    }

    @Test
    void aBundleOverTheBoundKeepsTheStartOfItsTextAndSaysWhatWasCut() {
        // given a value whose text and image are together over the bound
        String text = "y".repeat(BoundedBundle.MAX_BUNDLE_BYTES / 2);
        Map<String, Object> bundle = Map.of("text/plain", text, "image/png", "i".repeat(BoundedBundle.MAX_BUNDLE_BYTES));

        // when it is bounded
        Map<String, Object> cut = BoundedBundle.of(bundle);

        // then only its text's start is left, with a note naming what went and what to do
        assertThat(cut).containsOnlyKeys("text/plain");
        assertThat((String) cut.get("text/plain")).startsWith("y".repeat(BoundedBundle.KEPT_TEXT_CHARS) + "\n")
                .contains("This result was cut", "without image/png", "write large results to a file or table")
                .hasSizeLessThan(BoundedBundle.KEPT_TEXT_CHARS + 1000);
    }
}
