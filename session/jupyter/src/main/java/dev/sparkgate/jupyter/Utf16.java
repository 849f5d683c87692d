package dev.sparkgate.jupyter;

/**
 * Jupyter counts cursor positions in Unicode code points (protocol 5.2+); Java strings, and so the gateway, count
 * UTF-16 units. They differ after any character outside the Basic Multilingual Plane, an emoji say.
 */
final class Utf16 {

    private Utf16() {
    }

    /** The UTF-16 offset of code point {@code codePoints} in {@code text}, clamped to the text. */
    static int offset(String text, int codePoints) {
        int total = text.codePointCount(0, text.length());
        return text.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, total)));
    }

    /** The number of code points before UTF-16 offset {@code offset}, clamped to the text. */
    static int codePoints(String text, int offset) {
        return text.codePointCount(0, Math.max(0, Math.min(offset, text.length())));
    }
}
