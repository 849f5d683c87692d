package dev.sparkgate.gateway.testing;

import org.springframework.security.crypto.bcrypt.BCrypt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A users file for a test's gateway ({@code SPARKGATE_USERS_FILE}): BCrypt lines, as htpasswd writes them. */
public final class TestUsers {

    private TestUsers() {
    }

    /** {@code users}: {@code name:token:groups} each (groups comma-separated, may be empty). */
    public static Path file(String... users) {
        List<String> lines = new ArrayList<>();
        for (String user : users) {
            String[] fields = user.split(":", 3);
            lines.add(fields[0] + ":" + BCrypt.hashpw(fields[1], BCrypt.gensalt(4))
                    + (fields.length == 3 && !fields[2].isEmpty() ? ":" + fields[2] : ""));
        }
        try {
            Path file = Files.createTempFile("sparkgate-users", ".htpasswd");
            file.toFile().deleteOnExit();
            Files.write(file, lines);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
