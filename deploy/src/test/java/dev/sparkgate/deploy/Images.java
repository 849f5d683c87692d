package dev.sparkgate.deploy;

import java.util.regex.Pattern;

/** Image references: pinned means a digest, or a tag that is not {@code latest}. */
final class Images {

    private static final Pattern DIGEST = Pattern.compile(".+@sha256:[0-9a-f]{64}");
    // A tag follows the last ':' after the last '/', so a registry's port is not taken for one.
    private static final Pattern TAGGED = Pattern.compile("(?:.+/)?[^/:]+:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");

    private Images() {
    }

    static boolean isPinned(String image) {
        if (DIGEST.matcher(image).matches()) {
            return true;
        }
        var tagged = TAGGED.matcher(image);
        return tagged.matches() && !tagged.group(1).equals("latest");
    }
}
