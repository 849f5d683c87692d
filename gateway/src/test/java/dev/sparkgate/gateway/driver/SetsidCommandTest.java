package dev.sparkgate.gateway.driver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** setsid is found on the gateway's PATH, else where distributions keep it, else the error says what to install. */
class SetsidCommandTest {

    @Test
    void theFirstExecutableOnThePathWinsOverTheFallbacks(@TempDir Path dir) throws Exception {
        Path notExecutable = Files.createDirectories(dir.resolve("a"));
        Files.createFile(notExecutable.resolve("setsid"));
        Path onPath = executable(Files.createDirectories(dir.resolve("b")).resolve("setsid"));
        Path fallback = executable(dir.resolve("fallback-setsid"));

        assertThat(SetsidCommand.find(notExecutable + ":" + onPath.getParent(), List.of(fallback))).isEqualTo(onPath);
    }

    @Test
    void withoutOneOnThePathTheFallbackIsUsed(@TempDir Path dir) throws Exception {
        Path fallback = executable(dir.resolve("fallback-setsid"));

        assertThat(SetsidCommand.find(dir.resolve("empty").toString(), List.of(dir.resolve("missing"), fallback)))
                .isEqualTo(fallback);
    }

    @Test
    void withoutAnyTheErrorNamesWhereItLookedAndWhatToInstall(@TempDir Path dir) {
        assertThatThrownBy(() -> SetsidCommand.find(dir.toString(), List.of(dir.resolve("missing"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("util-linux");
    }

    @Test
    void theCommandIsPrefixedWithIt() throws Exception {
        List<String> wrapped = SetsidCommand.wrap(List.of("java", "-version"), System.getenv());

        assertThat(wrapped).hasSize(3).endsWith("java", "-version");
        assertThat(Path.of(wrapped.get(0)).getFileName()).hasToString("setsid");
    }

    private static Path executable(Path file) throws IOException {
        return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
}
