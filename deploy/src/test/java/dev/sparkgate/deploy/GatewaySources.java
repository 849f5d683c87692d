package dev.sparkgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables the gateway and its drivers read, as their sources name them: a deployment that sets a
 * variable nothing reads (a typo, a renamed setting) configures nothing, silently.
 */
final class GatewaySources {

    private static final Pattern NAME = Pattern.compile("\"([A-Z][A-Z0-9_]*[A-Z0-9])\"");
    private static final String[] SOURCE_ROOTS = {"gateway/src/main/java", "session"};

    private GatewaySources() {
    }

    /** Every upper-case string literal in the main sources of the gateway and the session modules. */
    static Set<String> environmentNames() {
        Set<String> names = new TreeSet<>();
        for (String root : SOURCE_ROOTS) {
            try (Stream<Path> files = Files.walk(Repository.path(root))) {
                files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/"))
                        .forEach(f -> collect(f, names));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    private static void collect(Path file, Set<String> names) {
        try {
            Matcher m = NAME.matcher(Files.readString(file));
            while (m.find()) {
                names.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
