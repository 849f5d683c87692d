package dev.sparkgate.gateway.driver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver's class-data-sharing archive, as the build makes it per runtime and the gateway's driver command uses it:
 * honoured on the exact command every local driver start runs (the test insists with {@code -Xshare:on}, which ends
 * the JVM instead of starting it without an archive that does not fit), and a runtime whose archive does not fit, or
 * that has none, still starts its drivers.
 *
 * <p>Each start is a real driver JVM run without the gateway's environment: it loads its main class, says it is
 * started by the gateway, and exits 64, which is enough to see where its classes came from.
 */
class DriverClassArchiveTest {

    private static final String FROM_ARCHIVE = "source: shared objects file";
    private static final String FROM_JAR = "source: file:";
    private static final String DRIVER_SAYS_NO_GATEWAY = "SPARKGATE_DRIVER_LINK is not set";

    @Test
    void everyBuiltRuntimeStartsItsDriversFromItsArchive(@TempDir Path tmp) throws Exception {
        // Given the runtimes the build laid out beside the gateway (3.5 and 4.1)
        List<DriverRuntime> runtimes = DriverRuntimes.locate(home(), null).all();
        assertThat(runtimes).hasSizeGreaterThanOrEqualTo(2);

        for (DriverRuntime runtime : runtimes) {
            // Then each has its archive, and the driver command names it
            assertThat(runtime.classArchive()).as("the class archive of " + runtime.home())
                    .contains(runtime.home().resolve(DriverRuntime.CLASS_ARCHIVE));
            List<String> command = runtime.command("512m", tmp);
            assertThat(command).contains("-XX:SharedArchiveFile=" + runtime.home().resolve(DriverRuntime.CLASS_ARCHIVE));

            // When that command starts a driver that must map the archive or not start at all
            String log = run(withJvmOptions(command, "-Xshare:on", "-Xlog:class+load=info"), tmp);

            // Then the driver's own main class came from the archive, and the driver ran
            assertThat(mainClassSource(log)).as("a driver of Spark " + runtime.sparkVersion() + " with -Xshare:on")
                    .contains(FROM_ARCHIVE);
            assertThat(notClassLoading(log)).contains(DRIVER_SAYS_NO_GATEWAY);
        }
    }

    @Test
    void anArchiveOlderThanAJarOfItsRuntimeIsLeftAsideAndTheDriverStartsWithoutIt(@TempDir Path tmp) throws Exception {
        // Given a runtime whose driver jar changed after its archive was made (here: copied, so its time is new)
        Path stale = runtimeAt(tmp.resolve("stale"), true, true);
        DriverRuntime runtime = DriverRuntime.locate(stale, null);
        assertThat(runtime.classArchive()).isPresent();

        // When a driver starts from it as the gateway starts one
        String log = run(withJvmOptions(runtime.command("512m", tmp), "-Xlog:class+load=info"), tmp);

        // Then the JVM says in one line that it does not use the archive, and the driver runs from its jars
        assertThat(notClassLoading(log)).contains("Unable to use shared archive").contains(DRIVER_SAYS_NO_GATEWAY);
        assertThat(mainClassSource(log)).contains(FROM_JAR);
    }

    @Test
    void aRuntimeWithoutAnArchiveStartsDriversWithoutOne(@TempDir Path tmp) throws Exception {
        // Given a runtime without an archive (a dist copy: the zip leaves it out)
        DriverRuntime runtime = DriverRuntime.locate(runtimeAt(tmp.resolve("dist"), false, false), null);

        // When a driver starts from it
        List<String> command = runtime.command("512m", tmp);
        String log = run(withJvmOptions(command, "-Xlog:class+load=info"), tmp);

        // Then its command names no archive and the driver runs from its jars
        assertThat(runtime.classArchive()).isEmpty();
        assertThat(command).noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
        assertThat(mainClassSource(log)).contains(FROM_JAR);
        assertThat(notClassLoading(log)).contains(DRIVER_SAYS_NO_GATEWAY);
    }

    private static Path home() {
        return Path.of(System.getProperty("sparkgate.driver.home")).toAbsolutePath();
    }

    /**
     * The built 3.5 runtime at {@code dir}: its jars linked (not copied: 300 MB; the JVM follows links to the jars the
     * archive was made from), but {@code sparkgate-driver.jar} copied anew if asked, and the archive copied if asked.
     */
    private static Path runtimeAt(Path dir, boolean withArchive, boolean newDriverJar) throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        if (newDriverJar) {
            Files.copy(home().resolve("sparkgate-driver.jar"), dir.resolve("sparkgate-driver.jar"));
        } else {
            Files.createSymbolicLink(dir.resolve("sparkgate-driver.jar"), home().resolve("sparkgate-driver.jar"));
        }
        try (Stream<Path> jars = Files.list(home().resolve("lib"))) {
            for (Path jar : jars.toList()) {
                Files.createSymbolicLink(dir.resolve("lib").resolve(jar.getFileName()), jar);
            }
        }
        if (withArchive) {
            Files.copy(home().resolve(DriverRuntime.CLASS_ARCHIVE), dir.resolve(DriverRuntime.CLASS_ARCHIVE));
        }
        return dir;
    }

    /** The line that says where the driver's main class was loaded from ({@code -Xlog:class+load}). */
    private static String mainClassSource(String log) {
        return log.lines().filter(line -> line.contains(" " + DriverRuntime.MAIN_CLASS + " source: "))
                .findFirst().orElse("no line loads " + DriverRuntime.MAIN_CLASS);
    }

    /** {@code command} with {@code options} right after the java executable. */
    private static List<String> withJvmOptions(List<String> command, String... options) {
        List<String> with = new ArrayList<>(command);
        with.addAll(1, List.of(options));
        return with;
    }

    /** Runs a driver JVM without the gateway's environment; its exit code must be the driver's own 64. */
    private static String run(List<String> command, Path tmp) throws Exception {
        Path output = Files.createTempFile(tmp, "driver-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SPARKGATE_"));
        Process driver = builder.start();
        boolean exited = driver.waitFor(2, TimeUnit.MINUTES);
        if (!exited) {
            driver.destroyForcibly();
        }
        String log = Files.readString(output);
        assertThat(exited).as("the driver exited within 2 minutes; its output:\n" + notClassLoading(log)).isTrue();
        assertThat(driver.exitValue()).as("the driver's exit code; its output:\n" + notClassLoading(log)).isEqualTo(64);
        return log;
    }

    /** The lines that are not class loading: what the driver and the JVM said. */
    private static String notClassLoading(String log) {
        // -Xlog pads its tags once a warning was printed: "[class,load ]"
        return log.lines().filter(line -> !line.contains("[class,load")).reduce("", (a, b) -> a + b + "\n");
    }
}
