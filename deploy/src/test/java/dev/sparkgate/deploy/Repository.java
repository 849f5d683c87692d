package dev.sparkgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository these checks read: its root, its files, and what the root pom pins. */
final class Repository {

    private Repository() {
    }

    /** The real path: Compose resolves its file's directory the same way, so paths it prints compare equal. */
    static Path root() {
        try {
            return Path.of(System.getProperty("sparkgate.repo.root", "..")).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's version, which the gateway image is tagged with. */
    static String projectVersion() {
        Matcher m = Pattern.compile("<artifactId>sparkgate-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(read("pom.xml"));
        if (!m.find()) {
            throw new IllegalStateException("no version in the root pom");
        }
        return m.group(1).trim();
    }

    /** A property of the root pom, such as {@code spark.version}. */
    static String pomProperty(String name) {
        return pomProperty("pom.xml", name);
    }

    /** Property {@code name} of the pom at {@code pom} (relative to the repository). */
    static String pomProperty(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
                .matcher(read(pom));
        if (!m.find()) {
            throw new IllegalStateException("no property " + name + " in " + pom);
        }
        return m.group(1).trim();
    }
}
