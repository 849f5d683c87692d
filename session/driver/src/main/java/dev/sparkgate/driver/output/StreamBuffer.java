package dev.sparkgate.driver.output;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bytes written to one stream of a statement, waiting to be sent as a chunk. Drains whole UTF-8 characters only,
 * so a multi-byte character split across two writes is never torn between two chunks.
 */
final class StreamBuffer {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
    }

    /** Everything written so far up to the last complete character, or null when there is nothing to send. */
    synchronized String drain() {
        if (bytes.size() == 0) {
            return null;
        }
        byte[] all = bytes.toByteArray();
        int end = completeUpTo(all);
        bytes.reset();
        bytes.write(all, end, all.length - end);
        return end == 0 ? null : new String(all, 0, end, StandardCharsets.UTF_8);
    }

    /** Drains everything, including a trailing partial character (at the end of a statement nothing follows). */
    synchronized String drainAll() {
        if (bytes.size() == 0) {
            return null;
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return text;
    }

    /** Length of the prefix that ends on a character boundary. */
    private static int completeUpTo(byte[] b) {
        int i = b.length - 1;
        // Walk back over continuation bytes (10xxxxxx) to the lead byte of the last character.
        int continuation = 0;
        while (i >= 0 && (b[i] & 0xC0) == 0x80 && continuation < 3) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return b.length;
        }
        int lead = b[i] & 0xFF;
        int needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        return continuation >= needed ? b.length : i;
    }
}
