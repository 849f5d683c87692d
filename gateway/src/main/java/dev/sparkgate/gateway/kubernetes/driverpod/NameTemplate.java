package dev.sparkgate.gateway.kubernetes.driverpod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An operator's template for a Kubernetes name that follows a session's user or group ({@code team-{group}},
 * {@code spark-{user}}): the result is always a DNS-1123 label (lower case letters, digits and '-', at most 63, a
 * letter or digit at each end), as namespaces and service accounts must be named.
 *
 * <p>A user or group name that is a label piece already ({@code red}, {@code alice-1}) goes in as it is, so an
 * operator can name namespaces in advance. Any other ({@code Alice}, {@code alice@corp.example}, {@code data_eng}) is
 * lowered, its other characters become '-', and it gets a suffix of its SHA-256 ({@code alice-corp-example-1b2c3d4e}):
 * without it {@code alice.b} and {@code alice_b} would share a namespace, and a session would land where another
 * user's do. A name over 63 characters keeps its first 54 and the suffix of the whole. The refusal of a missing
 * namespace names the result, so the operator knows what to create.
 */
public record NameTemplate(String setting, String template) {

    public static final String USER = "user";
    public static final String GROUP = "group";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern PIECE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    static final int MAX = 63;

    /** The template in {@code setting}'s value; refuses, naming the setting, one that cannot make a valid name. */
    public static NameTemplate parse(String setting, String template) {
        Matcher placeholders = PLACEHOLDER.matcher(template);
        while (placeholders.find()) {
            if (!placeholders.group(1).equals(USER) && !placeholders.group(1).equals(GROUP)) {
                throw new IllegalArgumentException(setting + " is '" + template + "': {" + placeholders.group(1)
                        + "} is not a placeholder; use {user} or {group}, e.g. team-{group} or spark-{user}.");
            }
        }
        NameTemplate parsed = new NameTemplate(setting, template);
        String example = parsed.render("x", "x");
        if (!LABEL.matcher(example).matches()) {
            throw new IllegalArgumentException(setting + " is '" + template + "', which makes names like '" + example
                    + "': a Kubernetes name is lower case letters, digits and '-', beginning and ending with a letter "
                    + "or digit, e.g. team-{group} or spark-{user}.");
        }
        return parsed;
    }

    /** Whether the name follows the session's group (then the session needs one). */
    public boolean needsGroup() {
        return template.contains("{" + GROUP + "}");
    }

    /** Whether the name follows the session's user (then the session needs an owner). */
    public boolean needsUser() {
        return template.contains("{" + USER + "}");
    }

    /** The name for {@code user} and {@code group} (either null when the template does not use it). */
    public String render(String user, String group) {
        Map<String, String> values = new java.util.HashMap<>();
        if (user != null) {
            values.put(USER, piece(user));
        }
        if (group != null) {
            values.put(GROUP, piece(group));
        }
        String name = PLACEHOLDER.matcher(template).replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1))));
        if (name.length() <= MAX) {
            return name;
        }
        return name.substring(0, MAX - 9).replaceAll("-+$", "") + "-" + hash(name);
    }

    /** {@code value} as a piece of a label: as it is when it is one, else cleaned and made unique by its hash. */
    static String piece(String value) {
        if (PIECE.matcher(value).matches()) {
            return value;
        }
        String cleaned = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return (cleaned.isEmpty() ? "" : cleaned + "-") + hash(value);
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
