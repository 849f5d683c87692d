package dev.sparkgate.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamPositionTest {

    private final StreamPosition position = new StreamPosition();

    @Test
    void aResumingConnectionAsksForWhatCameAfterTheLastDeliveredEvent() {
        position.advance(41);
        position.advance(42);

        assertThat(position.resumeSince()).isEqualTo(42);
    }

    @Test
    void anEventThatComesAgainAfterAResumeIsNotDeliveredTwice() {
        assertThat(position.advance(7)).isTrue();

        assertThat(position.advance(7)).isFalse();
        assertThat(position.advance(6)).isFalse();
        assertThat(position.advance(8)).isTrue();
    }

    @Test
    void beforeAnyEventAResumeAsksForEverythingSinceNoneOfItWasDelivered() {
        assertThat(position.resumeSince()).isZero();
        assertThat(position.advance(1)).isTrue();
    }
}
