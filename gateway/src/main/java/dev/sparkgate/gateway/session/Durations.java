package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.errors.BadRequest;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Livy clients write them: {@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|min|h|d)?");

    private Durations() {
    }

    /** The duration, or null for null or blank; {@code field} names it in the refusal of a bad one. */
    public static Duration parse(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher m = FORMAT.matcher(text.trim().toLowerCase());
        if (!m.matches()) {
            throw new BadRequest("'" + field + "' must be a duration like 30s, 15m or 2h, not '" + text + "'.");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
    }
}
