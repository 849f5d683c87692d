package dev.sparkgate.client;

import java.time.Duration;
import java.util.Optional;

/**
 * How a {@link SessionStream} tries to get its connection back after a drop: the first attempt after
 * {@code firstDelay}, each later one after twice the wait before, at most {@code maxDelay}, and none once
 * {@code giveUpAfter} has passed since the drop; then the stream fails with one error that says so.
 *
 * @see #DEFAULT 100 ms, doubling to 2 s, giving up after 30 s
 */
public record RetryPolicy(Duration firstDelay, Duration maxDelay, Duration giveUpAfter) {

    /** Long enough for a gateway restart behind a load balancer or a flaky Wi-Fi; short enough that a user waits. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30));

    public RetryPolicy {
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0 || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("A retry policy needs 0 <= firstDelay <= maxDelay and giveUpAfter >= 0,"
                    + " not " + firstDelay + ", " + maxDelay + ", " + giveUpAfter + ".");
        }
    }

    /** A policy that gives up after {@code giveUpAfter}, with the default backoff. */
    public static RetryPolicy givingUpAfter(Duration giveUpAfter) {
        return new RetryPolicy(DEFAULT.firstDelay, DEFAULT.maxDelay, giveUpAfter);
    }

    /**
     * The wait before attempt {@code attempt} (0 for the first after the drop), {@code sinceDrop} after the drop; empty
     * when no attempt is left. The last wait is cut to what remains, so the last attempt falls on the deadline.
     */
    public Optional<Duration> delayBefore(int attempt, Duration sinceDrop) {
        Duration remaining = giveUpAfter.minus(sinceDrop);
        if (remaining.isNegative() || remaining.isZero()) {
            return Optional.empty();
        }
        Duration backoff = firstDelay.multipliedBy(1L << Math.min(attempt, 20));
        Duration delay = backoff.compareTo(maxDelay) > 0 ? maxDelay : backoff;
        return Optional.of(delay.compareTo(remaining) > 0 ? remaining : delay);
    }
}
