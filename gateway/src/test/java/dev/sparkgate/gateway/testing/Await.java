package dev.sparkgate.gateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting in tests: every wait is bounded and fails with what it waited for and what it saw last, so a timeout is
 * an assertion that names itself and never falls through to the next line.
 */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(100);

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout} saying {@code what} was awaited. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        value(what, timeout, condition::getAsBoolean, Boolean::booleanValue);
    }

    /** Polls {@code probe} until its value matches, and returns that value; fails with the last value seen. */
    public static <T> T value(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> matches) {
        return value(what, timeout, POLL, probe, matches);
    }

    /** As {@link #value(String, Duration, Supplier, Predicate)}, probing every {@code interval}. */
    public static <T> T value(String what, Duration timeout, Duration interval, Supplier<T> probe,
                              Predicate<? super T> matches) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T seen = probe.get();
            if (matches.test(seen)) {
                return seen;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not so within " + timeout + ": " + what + "; last seen: " + seen);
            }
            LivyClient.sleep(interval.toMillis());
        }
    }
}
