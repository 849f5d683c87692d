package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.errors.BadRequest;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A memory size as Spark writes it ({@code 512m}, {@code 2g}; a bare number is MiB), for whoever sizes drivers. */
public final class SparkSize {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgtp]?)b?");

    private SparkSize() {
    }

    /** {@code text} in MiB. Refuses what Spark would not read, naming the conf. */
    public static long mebibytes(String text, String conf) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new BadRequest(conf + " is '" + text + "', which is not a size: write it as Spark does, e.g. 512m "
                    + "or 2g.");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new BadRequest(conf + " is '" + text + "', which is too large: write it as Spark does, e.g. 2g.");
        }
        return switch (m.group(2)) {
            case "k" -> Math.max(1, n / 1024);
            case "", "m" -> n;
            case "g" -> n * 1024;
            case "t" -> n * 1024 * 1024;
            default -> n * 1024 * 1024 * 1024;
        };
    }
}
