package dev.sparkgate.deploy;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image copies only part of the driver runtime's lib/: drivers run on the image's $SPARK_HOME/jars, so lib/ needs
 * only what Spark 3.5.6's jars lack. This walks the driver's dependencies through Sparkgate's own modules and fails
 * on one that is neither Spark, nor copied, nor known to be in Spark's jars at the same version: such a jar would be
 * missing from the image's drivers.
 */
class DriverLibSelectionTest {

    /** Copied by the Dockerfile (lib/&lt;artifactId&gt;-*.jar). Sparkgate's own modules are copied too. */
    private static final Set<String> COPIED = Set.of("org.java-websocket:Java-WebSocket");

    /**
     * In the apache/spark 3.5.6 image's jars/, at the version the root pom pins (Spark 3.5.6's own pom pins
     * jackson 2.15.2 and slf4j 2.0.7; the root pom stays on them for the driver's sake).
     */
    private static final Map<String, String> IN_SPARKS_JARS = Map.of(
            "com.fasterxml.jackson.core:jackson-databind", "jackson.version=2.15.2",
            "org.slf4j:slf4j-api", "slf4j.version=2.0.7");

    @Test
    void everyDriverDependencyIsSparkCopiedOrInSparksJars() {
        // given the driver's runtime dependencies, through Sparkgate's own modules
        Set<String> external = new LinkedHashSet<>();
        Set<String> ownModules = new LinkedHashSet<>();
        walk("sparkgate-driver", external, ownModules);

        // then each outside dependency is accounted for
        assertThat(external).allSatisfy(dependency -> assertThat(
                dependency.startsWith("org.apache.spark:") || COPIED.contains(dependency)
                        || IN_SPARKS_JARS.containsKey(dependency))
                .as(dependency + " is a driver dependency the image may lack: copy it in deploy/Dockerfile and "
                        + ".dockerignore, then list it here").isTrue());
        assertThat(ownModules).contains("sparkgate-protocol");
    }

    @Test
    void theVersionsSparksJarsShipAreTheOnesPinned() {
        // then the root pom pins what Spark 3.5.6 ships, so lib/ and $SPARK_HOME/jars hold the same classes
        IN_SPARKS_JARS.values().forEach(pin -> {
            String[] kv = pin.split("=");
            assertThat(Repository.pomProperty(kv[0])).as(kv[0]).isEqualTo(kv[1]);
        });
        assertThat(Repository.pomProperty("spark.version")).isEqualTo("3.5.6");
    }

    @Test
    void theDockerfileCopiesSparkgatesModulesAndEachCopiedDependency() {
        // given the Dockerfile's sources from the driver's lib/
        String lib = ImageFiles.DIRECTORY + "driver/lib/";
        var sources = Dockerfile.read().copySources().stream().filter(s -> s.startsWith(lib)).toList();

        // then Sparkgate's own jars and each copied dependency have a source
        assertThat(sources).contains(lib + "sparkgate-*.jar");
        COPIED.forEach(d -> assertThat(sources).contains(lib + d.split(":")[1] + "-*.jar"));
    }

    private static void walk(String artifactId, Set<String> external, Set<String> ownModules) {
        Map<String, Path> poms = modulePoms();
        Deque<String> queue = new ArrayDeque<>(Set.of(artifactId));
        while (!queue.isEmpty()) {
            String module = queue.pop();
            Path pom = poms.get(module);
            assertThat(pom).as("the pom of " + module).isNotNull();
            for (Element dependency : children(child(parse(pom), "dependencies"), "dependency")) {
                String scope = text(dependency, "scope");
                if (scope != null && !scope.equals("compile") && !scope.equals("runtime")) {
                    continue;
                }
                String coordinates = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
                if (coordinates.startsWith("dev.sparkgate:")) {
                    String own = text(dependency, "artifactId");
                    if (ownModules.add(own)) {
                        queue.push(own);
                    }
                } else {
                    external.add(coordinates);
                }
            }
        }
    }

    /** artifactId to pom, for every module of the repository. */
    private static Map<String, Path> modulePoms() {
        Map<String, Path> poms = new HashMap<>();
        try (Stream<Path> files = Files.walk(Repository.root(), 4)) {
            files.filter(f -> f.getFileName().toString().equals("pom.xml") && !f.toString().contains("/target/"))
                    .forEach(pom -> poms.put(text(parse(pom), "artifactId"), pom));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return poms;
    }

    private static Element parse(Path pom) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("cannot read " + pom, e);
        }
    }

    /** The project's own dependencies, not those of its plugins or its dependency management. */
    private static java.util.List<Element> children(Element parent, String name) {
        java.util.List<Element> found = new java.util.ArrayList<>();
        for (var node = parent == null ? null : parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        return children(parent, name).stream().findFirst().orElse(null);
    }

    /** The text of a direct child element, or null. */
    private static String text(Element parent, String name) {
        Element child = child(parent, name);
        return child == null ? null : child.getTextContent().trim();
    }
}
