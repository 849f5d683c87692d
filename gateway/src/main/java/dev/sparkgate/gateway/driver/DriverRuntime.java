package dev.sparkgate.gateway.driver;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the driver program and its Spark come from, and how to start a JVM with them. The gateway never loads
 * these classes itself: Spark stays out of its classpath and inside each session's own JVM.
 *
 * <p>A driver home holds {@code sparkgate-driver.jar} and {@code lib/} (Spark and its dependencies). It is the
 * configured one, else {@code driver/} beside the gateway's jar, which is where the build puts it.
 */
public record DriverRuntime(Path home, Path sparkJars, Path javaExecutable, List<String> jvmOptions) {

    public static final String MAIN_CLASS = "dev.sparkgate.driver.SessionDriver";
    /** The class-data-sharing archive's name in a driver home; see {@link #classArchive()}. */
    public static final String CLASS_ARCHIVE = "sparkgate-driver.jsa";

    /**
     * {@code sparkJars}, when given, is a Spark distribution's {@code jars/} (a container image's
     * {@code $SPARK_HOME/jars}): drivers then run that Spark, the same as the executor image's, and {@code lib/}
     * needs only Sparkgate's own few jars.
     */
    public static DriverRuntime locate(Path configuredHome, Path sparkJars) {
        Path home = configuredHome != null ? configuredHome : besideGatewayJar();
        if (home == null || !Files.isRegularFile(home.resolve("sparkgate-driver.jar")) || !Files.isDirectory(home.resolve("lib"))) {
            throw new IllegalStateException("No driver runtime at " + home + ": it must hold sparkgate-driver.jar and lib/. "
                    + "Build it with 'mvn -B -DskipTests package' or set SPARKGATE_DRIVER_HOME.");
        }
        Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
        if (sparkJars != null && !Files.isDirectory(sparkJars)) {
            throw new IllegalStateException("SPARKGATE_SPARK_JARS is " + sparkJars + ", which is not a directory: "
                    + "point it at a Spark distribution's jars/ (for example $SPARK_HOME/jars).");
        }
        return new DriverRuntime(home.toAbsolutePath(), sparkJars, javaExecutable, sparkJvmOptions());
    }

    public String classpath() {
        String classpath = home.resolve("sparkgate-driver.jar") + File.pathSeparator + home.resolve("lib") + File.separator + "*";
        return sparkJars == null ? classpath : classpath + File.pathSeparator + sparkJars + File.separator + "*";
    }

    /** The Spark version drivers run, read off the name of Spark's core jar ({@code spark-core_2.12-3.5.6.jar}). */
    public String sparkVersion() {
        Path jars = sparkJars != null ? sparkJars : home.resolve("lib");
        Pattern core = Pattern.compile("spark-core_[^-]+-(.+)\\.jar");
        try (var files = Files.list(jars)) {
            return files.map(f -> core.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> m.group(1)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No spark-core jar in " + jars));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Java release the driver program needs: the one its classes are compiled for, read off the main class's
     * class-file version (61 is Java 17). Spark 3.5 itself runs on Java 8 and later; Sparkgate's own classes decide.
     */
    public int javaRelease() {
        String entry = MAIN_CLASS.replace('.', '/') + ".class";
        try (var jar = new java.util.jar.JarFile(home.resolve("sparkgate-driver.jar").toFile())) {
            var found = jar.getJarEntry(entry);
            if (found == null) {
                throw new IllegalStateException("No " + entry + " in " + home.resolve("sparkgate-driver.jar"));
            }
            try (var in = new java.io.DataInputStream(jar.getInputStream(found))) {
                in.readInt();
                in.readUnsignedShort();
                return in.readUnsignedShort() - 44;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Spark line this runtime serves, its major.minor ({@code 3.5}, {@code 4.1}). */
    public String line() {
        return lineOf(sparkVersion());
    }

    /** The Spark line of {@code sparkVersion}: {@code 4.1} of {@code 4.1.1}. */
    public static String lineOf(String sparkVersion) {
        return sparkVersion.replaceAll("^(\\d+\\.\\d+).*", "$1");
    }

    /** The command that starts one driver JVM with {@code heap} as its maximum heap. */
    public List<String> command(String heap, Path tmpDir) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.addAll(jvmOptions);
        classArchive().ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
        command.add("-Xmx" + heap);
        command.add("-Djava.io.tmpdir=" + tmpDir);
        command.add("-cp");
        command.add(classpath());
        command.add(MAIN_CLASS);
        return command;
    }

    /**
     * The driver's class-data-sharing archive, which the build makes in the home ({@value #CLASS_ARCHIVE}), when
     * drivers run this home's own jars: the JVM maps the classes of Spark, its SQL and Scala's compiler from it instead
     * of loading them from the jars. It fits only the exact classpath it was made with (paths, jars, their sizes and
     * times); a JVM given one that does not fit (a jar changed since, the home moved) starts without it and says so in
     * one warning line in the driver's log. With {@code sparkJars} (an image's Spark) the classpath is another one.
     */
    public Optional<Path> classArchive() {
        Path archive = home.resolve(CLASS_ARCHIVE);
        return sparkJars == null && Files.isRegularFile(archive) ? Optional.of(archive) : Optional.empty();
    }

    private static Path besideGatewayJar() {
        try {
            Path codeSource = Path.of(DriverRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(codeSource) ? codeSource.getParent().resolve("driver") : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Spark's Java 17 module openings, kept in the parent pom and filled into this resource by the build. */
    private static List<String> sparkJvmOptions() {
        try (InputStream in = DriverRuntime.class.getResourceAsStream("/sparkgate/driver-jvm.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return Arrays.stream(properties.getProperty("java.options").trim().split("\\s+")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
