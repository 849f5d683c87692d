package dev.sparkgate.driver.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Python REPL program (resources under {@code sparkgate/python/}), copied out of the driver's jar
 * into a private temporary directory, because a Python process can only run files.
 */
final class ReplProgram implements AutoCloseable {

    static final String RESOURCE_DIR = "sparkgate/python/";
    static final String ENTRY_SCRIPT = "run_repl.py";
    /** Every file of the program. A test checks that this list and the resource directory agree. */
    static final List<String> FILES = List.of(
            ENTRY_SCRIPT,
            "sparkgate_repl/__init__.py",
            "sparkgate_repl/main.py",
            "sparkgate_repl/channel.py",
            "sparkgate_repl/interrupts.py",
            "sparkgate_repl/streams.py",
            "sparkgate_repl/cell.py",
            "sparkgate_repl/magics.py",
            "sparkgate_repl/rich.py",
            "sparkgate_repl/publish.py",
            "sparkgate_repl/completion.py",
            "sparkgate_repl/inspection.py",
            "sparkgate_repl/spark_link.py",
            "sparkgate_repl/inline_backend.py");

    private final Path directory;

    private ReplProgram(Path directory) {
        this.directory = directory;
    }

    static ReplProgram extract() {
        try {
            Path directory = Files.createTempDirectory("sparkgate-python-");
            for (String file : FILES) {
                Path target = directory.resolve(file);
                Files.createDirectories(target.getParent());
                try (InputStream in = resource(file)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new ReplProgram(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Python REPL program to a temporary directory", e);
        }
    }

    Path entryScript() {
        return directory.resolve(ENTRY_SCRIPT);
    }


    private static InputStream resource(String file) throws IOException {
        InputStream in = ReplProgram.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file);
        if (in == null) {
            throw new IOException("The driver jar lacks the resource " + RESOURCE_DIR + file);
        }
        return in;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is not worth failing a session's shutdown for.
        }
    }
}
