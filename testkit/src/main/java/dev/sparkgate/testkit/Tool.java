package dev.sparkgate.testkit;

import org.opentest4j.AssertionFailedError;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Something outside Java and Maven that a test needs (a browser, a command-line tool, a Python with certain packages,
 * a Spark home), how to tell whether this machine has it, and what installs it.
 *
 * <p>{@link #require()} at the start of a test (or in {@code @BeforeAll}): without the tool the test is skipped with
 * one line naming what to install, or, when {@link ToolSwitch#toolsRequired()} is on (CI), fails with that line.
 */
public record Tool(String name, String install, Probe probe) {

    /** Looks at this machine: empty when the tool is there, else what is missing, in a few words. */
    @FunctionalInterface
    public interface Probe {
        Optional<String> problem();
    }

    /** An executable at a fixed path, such as Debian's {@code /usr/bin/chromium}. */
    public static Tool executable(String name, Path path, String install) {
        return new Tool(name, install, () -> Files.isExecutable(path)
                ? Optional.empty() : Optional.of(path + " is not there"));
    }

    /** A command found on the {@code PATH}, such as {@code kubectl}. */
    public static Tool command(String command, String install) {
        return new Tool(command, install, () -> onPath(command).isPresent()
                ? Optional.empty() : Optional.of(command + " is not on the PATH"));
    }

    /** A Python that imports every one of {@code modules}, such as Jupyter's tools for Debian's python3. */
    public static Tool pythonModules(String name, Path python, List<String> modules, String install) {
        return new Tool(name, install, () -> {
            if (!Files.isExecutable(python)) {
                return Optional.of(python + " is not there");
            }
            return runs(List.of(python.toString(), "-c", "import " + String.join(", ", modules))) ? Optional.empty()
                    : Optional.of(python + " cannot import " + String.join(", ", modules));
        });
    }

    /** Skips (or, with the switch on, fails) the calling test unless this machine has the tool. */
    public void require() {
        require(ToolSwitch.toolsRequired());
    }

    void require(boolean toolsRequired) {
        Optional<String> problem = probe.problem();
        if (problem.isEmpty()) {
            return;
        }
        if (toolsRequired) {
            throw new AssertionFailedError(skipLine(problem.get()) + " [" + ToolSwitch.VARIABLE + "=true or -D"
                    + ToolSwitch.PROPERTY + "=true: every tool must be installed, so this fails instead of skipping]");
        }
        throw new MissingTool(this, problem.get());
    }

    /** Whether this machine has the tool, for a test that can choose another way. */
    public boolean isPresent() {
        return probe.problem().isEmpty();
    }

    /** The one line a skipped test shows. */
    String skipLine(String problem) {
        return "needs " + name + " (" + problem + "); install: " + install;
    }

    /** The first executable named {@code command} on the {@code PATH}. */
    public static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs a short check command; true when it exits 0 within a minute. */
    public static boolean runs(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
