package dev.sparkgate.gateway.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether the gateway is ready for traffic: every named check passes. A check answers empty when it passes, else
 * what is wrong. The gateway adds {@code kubernetes} (its API reachable) when executors run there, and
 * {@code recovery}: recovery (issue 15) will hold the gateway unready until it has taken its sessions back; until it
 * exists nothing is recovered, so it is done from the start ({@link #recoveryDone()}).
 */
public final class Readiness {

    private final Map<String, Supplier<Optional<String>>> checks = new LinkedHashMap<>();

    public Readiness check(String name, Supplier<Optional<String>> check) {
        checks.put(name, check);
        return this;
    }

    /** The hook recovery replaces: empty once the gateway has taken back its sessions. */
    public static Supplier<Optional<String>> recoveryDone() {
        return Optional::empty;
    }

    /** Each check's answer: {@code ok}, or what is wrong. */
    public Map<String, String> results() {
        Map<String, String> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> results.put(name, check.get().orElse("ok")));
        return results;
    }
}
