package dev.sparkgate.driver.output;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StreamBufferTest {

    @Test
    void aCharacterSplitAcrossWritesIsNeverTornBetweenChunks() {
        StreamBuffer buffer = new StreamBuffer();
        byte[] euro = "price: €".getBytes(StandardCharsets.UTF_8);

        buffer.write(euro, 0, euro.length - 1);
        String first = buffer.drain();
        buffer.write(euro, euro.length - 1, 1);
        String second = buffer.drain();

        assertThat(first).isEqualTo("price: ");
        assertThat(second).isEqualTo("€");
    }

    @Test
    void drainingAnEmptyBufferGivesNothing() {
        assertThat(new StreamBuffer().drain()).isNull();
    }
}
