package dev.sparkgate.versions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A version as Spark and Python print them: {@code 3.5.6}, {@code 3.11.2}, {@code 3.5.0-SNAPSHOT}. */
public record Version(int major, int minor, int patch, String text) {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");

    /** The version, or null when {@code text} is null, {@code none} or not a version. */
    public static Version parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        return new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), text.trim());
    }

    public boolean sameMinor(Version other) {
        return other != null && major == other.major && minor == other.minor;
    }

    /** {@code 3.5}: what must match. */
    public String minorLine() {
        return major + "." + minor;
    }

    @Override
    public String toString() {
        return text;
    }
}
