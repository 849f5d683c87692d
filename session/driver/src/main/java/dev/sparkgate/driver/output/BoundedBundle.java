package dev.sparkgate.driver.output;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds a MIME bundle a statement returns or displays. The gateway refuses a link message over about 65 MB by closing
 * the link, and a driver without its link stops; and the gateway keeps every bundle of the statements it retains. So a
 * bundle whose JSON is over {@link #MAX_BUNDLE_BYTES} is replaced by the start of its text, with a note that says what
 * was cut and what to do instead.
 */
public final class BoundedBundle {

    /** The most JSON one bundle may take: a SQL result at its byte bound (three shapes of the table) fits. */
    public static final int MAX_BUNDLE_BYTES = 16 * 1024 * 1024;
    /** How much of a cut bundle's text is kept: at most 6 bytes of JSON a character, well under the bound. */
    static final int KEPT_TEXT_CHARS = 1024 * 1024;

    private BoundedBundle() {
    }

    public static Map<String, Object> of(Map<String, Object> bundle) {
        if (bundle == null || bundle.isEmpty()) {
            return bundle;
        }
        long bytes = Json.write(bundle).getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= MAX_BUNDLE_BYTES) {
            return bundle;
        }
        String text = bundle.get(Mime.TEXT) instanceof String s ? s : "";
        List<String> dropped = new ArrayList<>(bundle.keySet());
        dropped.remove(Mime.TEXT);
        Map<String, Object> cut = new LinkedHashMap<>();
        cut.put(Mime.TEXT, StatementOutput.prefix(text, KEPT_TEXT_CHARS) + "\n[Sparkgate] This result was cut: it was "
                + bytes + " bytes as JSON, more than the " + (MAX_BUNDLE_BYTES >> 20) + " MiB a result may be; "
                + (text.length() > KEPT_TEXT_CHARS ? "shown are its first " + KEPT_TEXT_CHARS + " of " + text.length()
                + " characters" : "its text is shown whole")
                + (dropped.isEmpty() ? "" : ", without " + String.join(", ", dropped))
                + ". Return less (df.limit(n), df.show(n)), or write large results to a file or table.\n");
        return cut;
    }
}
