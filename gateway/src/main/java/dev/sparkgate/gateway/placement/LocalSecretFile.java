package dev.sparkgate.gateway.placement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A session's secret as a file only its owner can read, in the driver's working directory. The driver finds it through
 * {@value #ENV}, the same contract pod placement keeps with a mounted Kubernetes Secret.
 *
 * <p>Not the environment (any cell reads {@code sys.env}, and {@code /proc/PID/environ} of a child can leak it) and not
 * the command line (every local user reads {@code ps}).
 */
final class LocalSecretFile {

    /** The variable that names the file; the driver reads the secret from there. */
    static final String ENV = "SPARKGATE_SESSION_SECRET_FILE";

    private static final String NAME = "session.secret";

    private LocalSecretFile() {
    }

    /**
     * Writes {@code secret} to {@code workDir/session.secret}. The file is created with mode 0600 in the same call
     * (never created first and narrowed after: between the two, another user could open it).
     */
    static Path write(Path workDir, String secret) throws IOException {
        Path file = Files.createFile(workDir.resolve(NAME),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret, StandardCharsets.UTF_8);
        return file;
    }
}
