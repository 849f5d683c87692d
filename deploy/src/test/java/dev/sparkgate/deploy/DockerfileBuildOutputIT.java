package dev.sparkgate.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After the build (this runs in integration-test, when the gateway module is packaged): every file the Dockerfile
 * copies exists, and is what the build made, so the image holds nothing CI has not seen.
 */
class DockerfileBuildOutputIT {

    @Test
    void everyCopySourceIsAFileTheBuildMade() {
        // given the Dockerfile's COPY sources
        List<String> sources = Dockerfile.read().copySources();

        // then each matches files (a pattern at least one) under the gateway's build output
        assertThat(sources).allSatisfy(source -> assertThat(matches(source))
                .as(source + " after mvn package").isNotEmpty()
                .allSatisfy(file -> assertThat(Files.isRegularFile(file)).isTrue()));
    }

    @Test
    void theCopiedJarsAreTheOnesTheModulesBuilt() throws IOException {
        // given what the image copies of the driver runtime, and what the driver module built
        Path copied = Repository.path("gateway/target/driver/sparkgate-driver.jar");
        Path built = Repository.path("session/driver/target/sparkgate-driver.jar");

        // then they are the same bytes, and the gateway jar is the runnable one the gateway module made
        assertThat(Files.mismatch(copied, built)).isEqualTo(-1L);
        assertThat(Files.size(Repository.path("gateway/target/sparkgate-gateway.jar"))).isGreaterThan(1_000_000L);
    }

    @Test
    void everySparkgateJarOfTheDriverRuntimeIsCopied() {
        // given the jars the driver runtime's lib/ holds that Spark's jars do not
        List<Path> ownJars = list("gateway/target/driver/lib").stream()
                .filter(f -> f.getFileName().toString().startsWith("sparkgate-")).toList();
        List<Path> copied = Dockerfile.read().copySources().stream().flatMap(s -> matches(s).stream()).toList();

        // then the image copies each of them, and Java-WebSocket
        assertThat(ownJars).isNotEmpty();
        assertThat(copied).containsAll(ownJars)
                .anySatisfy(f -> assertThat(f.getFileName().toString()).startsWith("Java-WebSocket-"));
    }

    /** The files a COPY source names: Docker's patterns, whose '*' does not cross '/', as Java's glob. */
    private static List<Path> matches(String source) {
        Path pattern = Repository.path(source);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        return list(Repository.root().relativize(pattern.getParent()).toString()).stream()
                .filter(matcher::matches).toList();
    }

    private static List<Path> list(String directory) {
        Path dir = Repository.path(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
