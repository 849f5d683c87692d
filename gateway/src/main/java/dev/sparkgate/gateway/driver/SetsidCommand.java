package dev.sparkgate.gateway.driver;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts a command in a session and process group of its own, with util-linux's {@code setsid}: a driver is then not
 * in the gateway's process group, so a signal to the gateway's group (Ctrl-C in its terminal) is not a signal to every
 * driver, and the driver can outlive the gateway when the gateway lets it. A child of the JVM is never a group leader,
 * so {@code setsid} calls setsid(2) and execs in place: the process the gateway started is the driver itself.
 */
final class SetsidCommand {

    /** Where Debian and most Linux distributions keep it, when the gateway's PATH does not say. */
    private static final List<Path> FALLBACKS = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private SetsidCommand() {
    }

    /** {@code command}, prefixed to start in a session of its own. */
    static List<String> wrap(List<String> command, Map<String, String> gatewayEnvironment) throws IOException {
        List<String> wrapped = new ArrayList<>();
        wrapped.add(find(gatewayEnvironment.getOrDefault("PATH", ""), FALLBACKS).toString());
        wrapped.addAll(command);
        return wrapped;
    }

    /** The first executable {@code setsid} on {@code path}, else among {@code fallbacks}. */
    static Path find(String path, List<Path> fallbacks) throws IOException {
        return Stream.concat(Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank())
                                .map(dir -> Path.of(dir, "setsid")), fallbacks.stream())
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IOException("Cannot start the driver in a process group of its own: no "
                        + "'setsid' on PATH (" + path + ") nor at " + fallbacks + ". Install util-linux "
                        + "(apt-get install util-linux), or add the directory holding setsid to the gateway's PATH."));
    }
}
