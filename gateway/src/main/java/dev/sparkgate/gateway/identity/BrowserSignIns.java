package dev.sparkgate.gateway.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser page's sign-ins, kept on the gateway: signing in with a credential the {@link IdentityChain} accepts
 * gives a random id (256 bits from {@link SecureRandom}) for the cookie, and a second random value, the CSRF token,
 * that the page's script sends as a header on every change. The cookie holds nothing but that id: it names a
 * sign-in on this gateway and nowhere else, carries no credential that could be replayed elsewhere, and dies with
 * signing out, with its {@link #LIFETIME}, or with the gateway. The user is the one the chain named at sign-in: a
 * token revoked later still signs nobody new in, while a sign-in made with it lasts until it ends.
 */
public final class BrowserSignIns {

    /** How long a sign-in lasts: a working day, after which the page asks again. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    public record SignIn(String id, User user, String csrfToken, Instant expires) {
    }

    private final Map<String, SignIn> signIns = new ConcurrentHashMap<>();
    private final Clock clock;

    public BrowserSignIns(Clock clock) {
        this.clock = clock;
    }

    public SignIn start(User user) {
        Instant now = clock.instant();
        signIns.values().removeIf(signIn -> signIn.expires().isBefore(now));
        SignIn signIn = new SignIn(randomValue(), user, randomValue(), now.plus(LIFETIME));
        signIns.put(signIn.id(), signIn);
        return signIn;
    }

    /** The live sign-in this cookie value names, or empty for an unknown, ended or expired one. */
    public Optional<SignIn> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        SignIn signIn = signIns.get(id);
        if (signIn == null) {
            return Optional.empty();
        }
        if (signIn.expires().isBefore(clock.instant())) {
            signIns.remove(id);
            return Optional.empty();
        }
        return Optional.of(signIn);
    }

    public void end(String id) {
        if (id != null) {
            signIns.remove(id);
        }
    }

    private static String randomValue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
