package dev.sparkgate.gateway.versions;

import dev.sparkgate.protocol.SessionSpec.PythonSettings;
import dev.sparkgate.versions.DriverPython;
import dev.sparkgate.versions.PythonCandidate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Pythons a driver may run a session with: the operator's list ({@code SPARKGATE_DRIVER_PYTHONS}), else the
 * default Python and every {@code python3.N} on the PATH. Each is asked once for its version and PySpark.
 */
public final class DriverPythons {

    private static final Logger LOG = LoggerFactory.getLogger(DriverPythons.class);

    private final List<String> configured;
    private final PythonSettings settings;
    private final Map<String, Optional<PythonCandidate>> asked = new ConcurrentHashMap<>();

    public DriverPythons(List<String> configured, PythonSettings settings) {
        this.configured = configured;
        this.settings = settings;
    }

    /** The candidates for a session: only the one its conf names, if it names one. */
    public List<PythonCandidate> forSession(Map<String, String> conf) {
        String named = conf.get(DriverPython.DRIVER_PYTHON_CONF);
        List<String> executables = named != null ? List.of(named) : executables();
        // Launchers (pyenv's shims, python3 beside python3.11) often run the same Python: list it once.
        Map<String, PythonCandidate> candidates = new LinkedHashMap<>();
        for (String executable : executables) {
            asked.computeIfAbsent(executable, this::ask)
                    .ifPresent(c -> candidates.putIfAbsent(realPath(c.executable()), c));
        }
        return new ArrayList<>(candidates.values());
    }

    private Optional<PythonCandidate> ask(String executable) {
        try {
            return Optional.of(PythonCandidate.of(DriverPython.discover(
                    Map.of(DriverPython.DRIVER_PYTHON_CONF, executable), settings, Map.of())));
        } catch (RuntimeException e) {
            LOG.warn("driver Python {} cannot be used: {}", executable, e.getMessage());
            return Optional.empty();
        }
    }

    private List<String> executables() {
        if (!configured.isEmpty()) {
            return configured;
        }
        Map<Path, String> found = new LinkedHashMap<>();
        addIfReal(found, settings.defaultPython());
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                files.filter(f -> f.getFileName().toString().matches("python3\\.\\d+"))
                        .sorted().forEach(f -> addIfReal(found, f.toString()));
            } catch (IOException | RuntimeException unreadable) {
                // not a directory we can list
            }
        }
        return new ArrayList<>(found.values());
    }

    private static String realPath(String executable) {
        try {
            return Path.of(executable).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return executable;
        }
    }

    /** Keeps one name per real executable: python3 and python3.11 are often the same program. */
    private static void addIfReal(Map<Path, String> found, String executable) {
        Path path = Path.of(executable);
        if (!path.isAbsolute()) {
            path = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .map(dir -> Path.of(dir, executable)).filter(Files::isExecutable).findFirst().orElse(null);
        }
        if (path == null || !Files.isExecutable(path)) {
            return;
        }
        try {
            found.putIfAbsent(path.toRealPath(), path.toString());
        } catch (IOException e) {
            found.putIfAbsent(path, path.toString());
        }
    }
}
