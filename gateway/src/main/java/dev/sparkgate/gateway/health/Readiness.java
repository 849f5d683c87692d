package dev.sparkgate.gateway.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether the gateway is ready for traffic: every named check passes. A check answers empty when it passes, else
 * what is wrong. The gateway adds {@code kubernetes} (its API reachable) when executors run there, and
 * {@code recovery}: after a restart, the gateway is not ready while sessions it found wait for their drivers
 * ({@link #recovering}).
 */
public final class Readiness {

    private final Map<String, Supplier<Optional<String>>> checks = new LinkedHashMap<>();

    public Readiness check(String name, Supplier<Optional<String>> check) {
        checks.put(name, check);
        return this;
    }

    /** Nothing to recover: done from the start. */
    public static Supplier<Optional<String>> recoveryDone() {
        return Optional::empty;
    }

    /** Recovery in progress while {@code waiting} (sessions whose drivers have not dialled back yet) is above zero. */
    public static Supplier<Optional<String>> recovering(java.util.function.LongSupplier waiting) {
        return () -> {
            long count = waiting.getAsLong();
            return count == 0 ? Optional.empty() : Optional.of("recovering: " + count + " sessions wait for their "
                    + "drivers to dial back after a restart");
        };
    }

    /** Each check's answer: {@code ok}, or what is wrong. */
    public Map<String, String> results() {
        Map<String, String> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> results.put(name, check.get().orElse("ok")));
        return results;
    }
}
