package dev.sparkgate.gateway.placement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A session's secret reaches its local driver as a file only the owner reads. */
class LocalSecretFileTest {

    @Test
    void theSecretIsAFileOnlyItsOwnerCanReadOrWrite(@TempDir Path workDir) throws Exception {
        Path file = LocalSecretFile.write(workDir, "per-session-secret");

        assertThat(file.getParent()).isEqualTo(workDir);
        assertThat(Files.readString(file)).isEqualTo("per-session-secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aFileAlreadyThereIsNeverReused(@TempDir Path workDir) throws Exception {
        // Someone who planted the file first (with a mode of their choosing) would read the secret written into it.
        Files.writeString(workDir.resolve("session.secret"), "planted");

        assertThatThrownBy(() -> LocalSecretFile.write(workDir, "per-session-secret"))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(workDir.resolve("session.secret"))).isEqualTo("planted");
    }
}
