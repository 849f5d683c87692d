package dev.sparkgate.driver.python;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The text of the Python process's real stdout or stderr, with the REPL's end-of-cell fences taken out.
 *
 * <p>Programs a cell starts write to the real streams, which travel apart from the channel; the cell's
 * result could overtake their last lines, which would then belong to no statement. So before it sends a
 * result the REPL writes a fence, {@code NUL "sparkgate-fence:" <cell id> NUL}, to both streams: once the
 * driver has read past the fences, everything the cell's programs wrote before it ended has been passed on.
 * A fence split across two reads is held back until its end arrives; other text is passed on at once.
 */
final class FencedOutput {

    static final String FENCE_START = "\0sparkgate-fence:";
    private static final int MAX_FENCE_LENGTH = FENCE_START.length() + 21;

    private final Consumer<String> text;
    private final LongConsumer fence;
    private String carried = "";

    /**
     * @param text  receives the output, fences removed
     * @param fence receives the cell id of each fence, after the text written before it
     */
    FencedOutput(Consumer<String> text, LongConsumer fence) {
        this.text = text;
        this.fence = fence;
    }

    void accept(String chunk) {
        String input = carried + chunk;
        carried = "";
        int from = 0;
        while (true) {
            int start = input.indexOf(FENCE_START, from);
            if (start < 0) {
                int held = partialFenceAtEnd(input, from);
                emit(input.substring(from, held));
                carried = input.substring(held);
                return;
            }
            int end = input.indexOf('\0', start + FENCE_START.length());
            if (end < 0 && input.length() - start <= MAX_FENCE_LENGTH) {
                emit(input.substring(from, start));
                carried = input.substring(start);
                return;
            }
            if (end < 0) {  // too long to be a fence: the user's text
                emit(input.substring(from));
                return;
            }
            emit(input.substring(from, start));
            String id = input.substring(start + FENCE_START.length(), end);
            try {
                fence.accept(Long.parseLong(id));
            } catch (NumberFormatException e) {
                emit(input.substring(start, end + 1));  // not a fence after all: it is the user's text
            }
            from = end + 1;
        }
    }

    /** Where a possible beginning of a fence starts at the end of {@code input}; its length if none. */
    private static int partialFenceAtEnd(String input, int from) {
        int nul = input.lastIndexOf('\0');
        if (nul >= from && input.length() - nul < FENCE_START.length() && FENCE_START.startsWith(input.substring(nul))) {
            return nul;
        }
        return input.length();
    }

    private void emit(String part) {
        if (!part.isEmpty()) {
            text.accept(part);
        }
    }
}
