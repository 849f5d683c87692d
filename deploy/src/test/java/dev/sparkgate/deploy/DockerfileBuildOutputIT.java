package dev.sparkgate.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After the build (this runs in integration-test, when this module has laid out the image's files): every file the
 * Dockerfile copies exists, and is a file of the gateway's distribution artifact, so the image holds nothing CI has
 * not seen.
 */
class DockerfileBuildOutputIT {

    private static final Path IMAGE = Repository.path(ImageFiles.DIRECTORY);

    @Test
    void everyCopySourceIsAFileTheBuildMade() {
        // given the Dockerfile's COPY sources
        List<String> sources = Dockerfile.read().copySources();

        // then each matches files (a pattern at least one) in the laid-out image directory
        assertThat(sources).allSatisfy(source -> assertThat(matches(source))
                .as(source + " after mvn package").isNotEmpty()
                .allSatisfy(file -> assertThat(Files.isRegularFile(file)).isTrue()));
    }

    @Test
    void theCopiedFilesAreTheDistributionsOwn() {
        // given every file the image copies, by its path inside the distribution
        List<String> copied = Dockerfile.read().copySources().stream().flatMap(s -> matches(s).stream())
                .map(f -> IMAGE.relativize(f).toString()).toList();

        // then each has the bytes of the artifact's file, and the gateway jar is the runnable one
        assertThat(copied).contains("sparkgate-gateway.jar", "driver/sparkgate-driver.jar")
                .allSatisfy(path -> assertThat(sha256(ImageFiles.read(path))).as(path)
                        .isEqualTo(sha256(ImageFiles.distributionFile(path))));
        assertThat(ImageFiles.read("sparkgate-gateway.jar").length).isGreaterThan(1_000_000);
    }

    @Test
    void everySparkgateJarOfTheDriverRuntimeIsCopied() {
        // given the jars of the driver runtime's lib/ that Spark's jars do not hold
        List<String> ownJars = ImageFiles.distributionFiles().stream()
                .filter(f -> f.startsWith("driver/lib/sparkgate-")).toList();
        List<String> copied = Dockerfile.read().copySources().stream().flatMap(s -> matches(s).stream())
                .map(f -> IMAGE.relativize(f).toString()).toList();

        // then the image copies each of them, and Java-WebSocket
        assertThat(ownJars).isNotEmpty();
        assertThat(copied).containsAll(ownJars).anySatisfy(f -> assertThat(f).startsWith("driver/lib/Java-WebSocket-"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files a COPY source names: Docker's patterns, whose '*' does not cross '/', as Java's glob. */
    private static List<Path> matches(String source) {
        Path pattern = Repository.path(source);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        Path dir = pattern.getParent();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(matcher::matches).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
