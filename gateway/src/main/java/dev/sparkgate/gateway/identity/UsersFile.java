package dev.sparkgate.gateway.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCrypt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Users the operator lists in a file ({@code SPARKGATE_USERS_FILE}), one a line, in htpasswd's BCrypt form plus
 * groups: {@code name:$2y$...:group1,group2} ({@code htpasswd -nbB name token} writes the first two fields). Only the
 * slow, salted hash of each token is stored. A user presents the token as HTTP Basic's password with their name (one
 * hash checked), or alone as a bearer token (each user's hash checked until one matches; a verified token is then
 * remembered, by its SHA-256, until the file changes, and so is a token that matched no one, so that repeating a
 * forged one costs no more hashing).
 *
 * <p>The file is read again when its modification time or size changes, checked at most once a second, on use. A
 * file that does not parse is reported in the log with its line and leaves the users as they were.
 */
public final class UsersFile implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(UsersFile.class);
    /** BCrypt reads at most 72 bytes of a token; a longer one could not be told from its first 72. */
    static final int MAX_TOKEN_BYTES = 72;
    private static final long CHECK_EVERY_MILLIS = 1000;
    private static final int MAX_REMEMBERED = 10_000;

    record Entry(String name, String hash, Set<String> groups) {
    }

    private final Path file;
    private volatile Map<String, Entry> users = Map.of();
    private volatile FileTime readModified;
    private volatile long readSize = -1;
    private volatile long checkedAt;
    /** SHA-256 of a bearer token to its user's name, or to "" when it matched no one; forgotten when the file changes. */
    private final Map<String, String> remembered = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_REMEMBERED;
        }
    });

    public UsersFile(Path file) {
        this.file = file;
        if (!reloadIfChanged()) {
            throw new IllegalArgumentException("SPARKGATE_USERS_FILE " + file + " cannot be read: give a readable "
                    + "file of lines name:bcrypt-hash:groups (htpasswd -nbB NAME TOKEN writes name:hash).");
        }
    }

    @Override
    public Verdict authenticate(Credentials credentials) {
        if (!credentials.hasToken()) {
            return Verdict.PASS;
        }
        if (System.currentTimeMillis() - checkedAt > CHECK_EVERY_MILLIS) {
            reloadIfChanged();
        }
        String token = credentials.token();
        if (token.getBytes(StandardCharsets.UTF_8).length > MAX_TOKEN_BYTES) {
            return Verdict.PASS;
        }
        if (credentials.basicUser() != null) {
            Entry entry = users.get(credentials.basicUser());
            if (entry == null) {
                return Verdict.PASS;
            }
            return matches(token, entry) ? accepted(entry)
                    : new Verdict.Refused("the token is not " + entry.name() + "'s (users file)");
        }
        String key = TokenDigest.sha256(token);
        String known = remembered.get(key);
        if (known != null) {
            Entry entry = users.get(known);
            return entry == null ? Verdict.PASS : accepted(entry);
        }
        Optional<Entry> match = users.values().stream().filter(entry -> matches(token, entry)).findFirst();
        remembered.put(key, match.map(Entry::name).orElse(""));
        return match.map(this::accepted).orElse(Verdict.PASS);
    }

    @Override
    public String accepts() {
        return "a users-file token as HTTP Basic's password with your user name, or as 'Authorization: Bearer <token>'";
    }

    /** The groups the file gives {@code name}, or empty when it does not name them. */
    Optional<Set<String>> groupsOf(String name) {
        if (System.currentTimeMillis() - checkedAt > CHECK_EVERY_MILLIS) {
            reloadIfChanged();
        }
        return Optional.ofNullable(users.get(name)).map(Entry::groups);
    }

    private Verdict accepted(Entry entry) {
        return new Verdict.Accepted(new User(entry.name(), entry.groups(), false, "users-file"));
    }

    private static boolean matches(String token, Entry entry) {
        try {
            return BCrypt.checkpw(token, entry.hash());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads the file again if it changed; false when it cannot be read or parsed (the users stay as they were). */
    private synchronized boolean reloadIfChanged() {
        checkedAt = System.currentTimeMillis();
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(readModified) && size == readSize) {
                return true;
            }
            Map<String, Entry> read = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
            users = read;
            readModified = modified;
            readSize = size;
            remembered.clear();
            LOG.info("users file {}: {} users", file, read.size());
            return true;
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("users file {} not (re)loaded, the users stay as they were: {}", file, e.getMessage());
            return false;
        }
    }

    static Map<String, Entry> parse(List<String> lines) {
        Map<String, Entry> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(":", 3);
            if (fields.length < 2 || fields[0].isBlank() || !fields[1].matches("\\$2[aby]?\\$\\d\\d\\$.{53}")) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not name:bcrypt-hash[:group,group] "
                        + "(write it with htpasswd -nbB NAME TOKEN, then append :groups)");
            }
            Set<String> groups = fields.length == 3 ? Arrays.stream(fields[2].split(",")).map(String::strip)
                    .filter(g -> !g.isEmpty()).collect(Collectors.toSet()) : Set.of();
            users.put(fields[0].strip(), new Entry(fields[0].strip(), fields[1], groups));
        }
        return Map.copyOf(users);
    }
}
