package dev.sparkgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * A JVM of the bench's own on a driver runtime's jars (a driver home: {@code sparkgate-driver.jar} and {@code lib/}),
 * with Spark's Java 17 module openings, as a session's driver is started, but running one of the bench's classes.
 */
final class RuntimeJvm {

    private RuntimeJvm() {
    }

    /**
     * The command: {@code main} with {@code args} on {@code runtime}'s classpath and the bench's jar after it, with the
     * runtime's class archive when {@code classArchive} (the JVM maps it as long as the archive's classpath comes
     * first, as it does here).
     */
    static List<String> command(Path runtime, String heap, boolean classArchive, String main, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(sparkJvmOptions());
        Path archive = runtime.resolve("sparkgate-driver.jsa");
        if (classArchive && Files.isRegularFile(archive)) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.addAll(List.of("-Xmx" + heap, "-cp", runtime.resolve("sparkgate-driver.jar") + ":"
                + runtime.resolve("lib") + "/*:" + ownJar(), main));
        command.addAll(args);
        return command;
    }

    /** Spark's Java 17 module openings, from the parent pom (filled into this resource by the build). */
    private static List<String> sparkJvmOptions() {
        try (InputStream in = RuntimeJvm.class.getResourceAsStream("spark-jvm.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return Arrays.stream(properties.getProperty("java.options").trim().split("\\s+")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String ownJar() {
        try {
            return Path.of(RuntimeJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
