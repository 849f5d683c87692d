package dev.sparkgate.gateway.driver;

import dev.sparkgate.gateway.errors.BadRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The driver runtimes this gateway carries, one per Spark line (today 3.5 on Scala 2.12 and 4.1 on Scala 2.13), and
 * which one a session gets. In client mode the driver must run its executors' Spark minor, so a session whose
 * executors run an image gets the runtime of that image's Spark (the version check chooses it); a session without
 * one (the embedded default, {@code local[*]}) gets the line its conf {@value #CHOICE_CONF} names, else the newest.
 *
 * <p>On disk: the driver home ({@code driver/} beside the gateway's jar, or {@code SPARKGATE_DRIVER_HOME}) and beside
 * it one directory per further runtime, {@code <home>-<line>} ({@code driver-4.1/}), each laid out as a driver home.
 * With {@code SPARKGATE_SPARK_JARS} (drivers on a Spark distribution's jars) only the home is used: that Spark is the
 * one line there is.
 */
public final class DriverRuntimes {

    /** The session conf that names the Spark line a session's driver runs: {@code 3.5}, {@code 4.1}. */
    public static final String CHOICE_CONF = "sparkgate.sparkVersion";

    private final DriverRuntime home;
    private final List<DriverRuntime> runtimes;

    /** {@code home} is the runtime in the driver home; {@code others} those beside it. */
    public DriverRuntimes(DriverRuntime home, List<DriverRuntime> others) {
        this.home = home;
        List<DriverRuntime> runtimes = new ArrayList<>(List.of(home));
        runtimes.addAll(others);
        this.runtimes = runtimes.stream().sorted(Comparator.comparing(DriverRuntime::sparkVersion, DriverRuntimes::compareVersions))
                .toList();
    }

    /** The home and the runtimes beside it (see the class comment). */
    public static DriverRuntimes locate(Path configuredHome, Path sparkJars) {
        DriverRuntime home = DriverRuntime.locate(configuredHome, sparkJars);
        List<DriverRuntime> others = new ArrayList<>();
        if (sparkJars == null && home.home().getParent() != null) {
            String prefix = home.home().getFileName() + "-";
            try (var siblings = Files.list(home.home().getParent())) {
                siblings.filter(dir -> dir.getFileName().toString().startsWith(prefix)
                                && Files.isRegularFile(dir.resolve("sparkgate-driver.jar")))
                        .sorted()
                        .forEach(dir -> others.add(DriverRuntime.locate(dir, null)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new DriverRuntimes(home, others);
    }

    /** The runtime in the driver home itself ({@code driver/}); the others are {@code driver-<line>/} beside it. */
    public DriverRuntime home() {
        return home;
    }

    /** Oldest first. */
    public List<DriverRuntime> all() {
        return runtimes;
    }

    public DriverRuntime newest() {
        return runtimes.get(runtimes.size() - 1);
    }

    /** The runtime of {@code sparkVersion}'s major.minor ({@code 4.1}, {@code 4.1.1}), if this gateway has one. */
    public Optional<DriverRuntime> forSpark(String sparkVersion) {
        String line = DriverRuntime.lineOf(sparkVersion);
        return runtimes.stream().filter(runtime -> runtime.line().equals(line)).findFirst();
    }

    /**
     * The runtime a session's conf asks for ({@value #CHOICE_CONF}), the newest when it names none; a line this
     * gateway does not carry is the user's mistake, refused with the lines there are.
     */
    public DriverRuntime chosenBy(String requested) {
        if (requested == null || requested.isBlank()) {
            return newest();
        }
        return forSpark(requested.strip()).orElseThrow(() -> new BadRequest(CHOICE_CONF + " is '" + requested
                + "', which no driver runtime of this gateway serves: use one of " + lines() + "."));
    }

    /** {@code 3.5 (Spark 3.5.6), 4.1 (Spark 4.1.1)}. */
    public String lines() {
        return runtimes.stream().map(r -> r.line() + " (Spark " + r.sparkVersion() + ")").collect(Collectors.joining(", "));
    }

    /** The Spark lines of the runtimes, newest first as they are kept: {@code [4.1, 3.5]}. */
    public List<String> lineNames() {
        return runtimes.stream().map(DriverRuntime::line).toList();
    }

    public List<String> sparkVersions() {
        return runtimes.stream().map(DriverRuntime::sparkVersion).toList();
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d+") && y[i].matches("\\d+")
                    ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
