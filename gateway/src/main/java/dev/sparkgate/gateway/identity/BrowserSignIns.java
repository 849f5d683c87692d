package dev.sparkgate.gateway.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sparkgate.protocol.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser page's sign-ins, kept on the gateway: signing in with a credential the {@link IdentityChain} accepts
 * gives a random id (256 bits from {@link SecureRandom}) for the cookie, and a second random value, the CSRF token,
 * that the page's script sends as a header on every change. The cookie holds nothing but that id: it names a
 * sign-in on this gateway and nowhere else, carries no credential that could be replayed elsewhere, and dies with
 * signing out or with its {@link #LIFETIME}. The user is the one the chain named at sign-in: a token revoked later
 * still signs nobody new in, while a sign-in made with it lasts until it ends.
 *
 * <p>Sign-ins outlive the gateway: each is a record in {@code <WORK_DIR>/sign-ins/}, written atomically (0600, in a
 * 0700 directory), named by the SHA-256 of its id and never holding the id itself, so reading the directory gives no
 * cookie to present. Signing out deletes the record, so it stays signed out across a restart. Records rather than a
 * signed cookie because a signed cookie would still need a persisted list of revocations to make sign-out hold, and
 * records are that list and the sign-ins in one, with nothing to rotate. A record that cannot be read is logged and
 * removed: that browser signs in again, nothing else is lost.
 */
public final class BrowserSignIns {

    /** How long a sign-in lasts: a working day, after which the page asks again. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final Logger LOG = LoggerFactory.getLogger(BrowserSignIns.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String RECORD = ".json";

    public record SignIn(String id, User user, String csrfToken, Instant expires) {
    }

    /** What a record holds: everything but the id, which only the browser's cookie has. */
    private record Stored(String user, Set<String> groups, boolean admin, String via, String csrfToken,
                          long expiresEpochMillis) {
    }

    /** Live sign-ins by the SHA-256 of their id, as their records are named. */
    private final Map<String, Stored> signIns = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Path dir;

    /** {@code dir}: where the records are kept ({@code <WORK_DIR>/sign-ins}); those there are loaded. */
    public BrowserSignIns(Clock clock, Path dir) {
        this.clock = clock;
        this.dir = dir;
        load();
    }

    public SignIn start(User user) {
        Instant now = clock.instant();
        signIns.entrySet().removeIf(entry -> expired(entry.getValue(), now) && delete(entry.getKey()));
        SignIn signIn = new SignIn(randomValue(), user, randomValue(), now.plus(LIFETIME));
        Stored stored = new Stored(user.name(), user.groups(), user.admin(), user.via(), signIn.csrfToken(),
                signIn.expires().toEpochMilli());
        String key = digest(signIn.id());
        write(key, stored);
        signIns.put(key, stored);
        return signIn;
    }

    /** The live sign-in this cookie value names, or empty for an unknown, ended or expired one. */
    public Optional<SignIn> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        String key = digest(id);
        Stored stored = signIns.get(key);
        if (stored == null) {
            return Optional.empty();
        }
        if (expired(stored, clock.instant())) {
            signIns.remove(key);
            delete(key);
            return Optional.empty();
        }
        return Optional.of(new SignIn(id, new User(stored.user(), stored.groups(), stored.admin(), stored.via()),
                stored.csrfToken(), Instant.ofEpochMilli(stored.expiresEpochMillis())));
    }

    public void end(String id) {
        if (id != null) {
            String key = digest(id);
            signIns.remove(key);
            delete(key);
        }
    }

    private void load() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Instant now = clock.instant();
        try (DirectoryStream<Path> records = Files.newDirectoryStream(dir, "*" + RECORD)) {
            for (Path record : records) {
                String key = record.getFileName().toString();
                key = key.substring(0, key.length() - RECORD.length());
                Stored stored;
                try {
                    stored = Json.MAPPER.readValue(Files.readString(record, StandardCharsets.UTF_8), Stored.class);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("dropping the page sign-in record {}: it cannot be read ({}); that browser signs in "
                            + "again", record, e.toString());
                    delete(key);
                    continue;
                }
                if (stored == null || stored.user() == null || stored.csrfToken() == null || expired(stored, now)) {
                    delete(key);
                } else {
                    signIns.put(key, stored);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page's sign-ins in " + dir + ": the gateway needs its "
                    + "work directory (SPARKGATE_WORK_DIR) readable and writable", e);
        }
    }

    private void write(String key, Stored stored) {
        Path file = dir.resolve(key + RECORD);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            // A temporary file is created 0600; moved into place whole, so a crash never leaves half a record.
            Path temp = Files.createTempFile(dir, key, ".tmp");
            Files.writeString(temp, Json.MAPPER.writeValueAsString(stored), StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the page's sign-in in " + dir + ": the gateway needs its "
                    + "work directory (SPARKGATE_WORK_DIR) writable", e);
        }
    }

    /** Deletes a record; true, so it can clear an entry in the same step. */
    private boolean delete(String key) {
        try {
            Files.deleteIfExists(dir.resolve(key + RECORD));
        } catch (IOException e) {
            LOG.warn("cannot delete the page sign-in record {} in {} ({}); it is ignored once expired", key, dir,
                    e.toString());
        }
        return true;
    }

    private static boolean expired(Stored stored, Instant now) {
        return stored.expiresEpochMillis() < now.toEpochMilli();
    }

    private static String digest(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomValue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
