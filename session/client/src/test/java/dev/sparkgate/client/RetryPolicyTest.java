package dev.sparkgate.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    @Test
    void theDefaultBacksOffFrom100MillisecondsTo2SecondsAndGivesUpAfter30Seconds() {
        RetryPolicy policy = RetryPolicy.DEFAULT;

        assertThat(policy.delayBefore(0, Duration.ZERO)).contains(Duration.ofMillis(100));
        assertThat(policy.delayBefore(1, Duration.ofMillis(100))).contains(Duration.ofMillis(200));
        assertThat(policy.delayBefore(4, Duration.ofSeconds(2))).contains(Duration.ofMillis(1600));
        assertThat(policy.delayBefore(5, Duration.ofSeconds(4))).contains(Duration.ofSeconds(2));
        assertThat(policy.delayBefore(60, Duration.ofSeconds(20))).contains(Duration.ofSeconds(2));
        assertThat(policy.delayBefore(70, Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void theLastWaitIsCutSoTheLastAttemptFallsOnTheDeadline() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(5));

        assertThat(policy.delayBefore(10, Duration.ofMillis(4500))).contains(Duration.ofMillis(500));
        assertThat(policy.delayBefore(11, Duration.ofMillis(5001))).isEmpty();
    }

    @Test
    void aPolicyThatNeverRetriesGivesUpAtOnce() {
        assertThat(RetryPolicy.givingUpAfter(Duration.ZERO).delayBefore(0, Duration.ZERO)).isEmpty();
    }

    @Test
    void aNonsensicalPolicyIsRefusedSayingWhatIsNeeded() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("firstDelay <= maxDelay");
    }
}
