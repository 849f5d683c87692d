package dev.sparkgate.gateway;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's packages depend on each other in one direction only: the session core never reaches back into the
 * routes, the driver package never into the session, a placement never into the cluster it is given. Read from the
 * sources' imports, so a cycle fails the build before it grows.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/sparkgate/gateway");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.sparkgate\\.gateway((?:\\.[a-z]\\w*)*)\\.[A-Z]",
            Pattern.MULTILINE);

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> imports = imports();

        List<String> cycles = new ArrayList<>();
        for (String start : imports.keySet()) {
            if (reaches(imports, start, start, new HashSet<>())) {
                cycles.add(start + " -> " + imports.get(start));
            }
        }

        assertThat(imports).as("packages read from %s", SOURCES.toAbsolutePath()).containsKeys(".session", ".driver");
        assertThat(cycles).as("packages in a cycle, with what they import").isEmpty();
    }

    @Test
    void theSessionCoreImportsNoRouteNorCluster() throws IOException {
        assertThat(imports().get(".session")).doesNotContain("", ".livy", ".stream", ".jupyter", ".web", ".link",
                ".kubernetes");
        assertThat(imports().get(".driver")).doesNotContain(".session");
        assertThat(imports().get(".placement")).doesNotContain(".session", ".kubernetes");
    }

    /** Package (relative to dev.sparkgate.gateway, "" for the root) to the packages it imports from. */
    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                pkg = pkg.isEmpty() ? "" : "." + pkg;
                Set<String> targets = imports.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        targets.add(m.group(1));
                    }
                }
            }
        }
        return imports;
    }

    private static boolean reaches(Map<String, Set<String>> imports, String from, String target, Set<String> seen) {
        for (String next : imports.getOrDefault(from, Set.of())) {
            if (next.equals(target) || (seen.add(next) && reaches(imports, next, target, seen))) {
                return true;
            }
        }
        return false;
    }
}
