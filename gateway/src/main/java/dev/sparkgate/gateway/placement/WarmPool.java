package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.driver.DriverProcess;
import dev.sparkgate.gateway.driver.DriverRuntimes;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Drivers started and warmed before anyone asks ({@code SPARKGATE_WARM_SESSIONS}): per runtime line, as many as the
 * operator asked, each on the operator's Spark defaults, refilled in the background one at a time. A session whose
 * start-time confs are exactly a pooled driver's takes it ({@link #take}) and is idle as soon as the driver has dialled
 * back; any other starts cold. A pooled driver serves one session, ever.
 *
 * <p>Pooled drivers hold the machine as sessions do, so the gateway counts them ({@link #held()}) against its capacity,
 * and the pool starts one only while {@code room} says the gateway could hold it: a session never waits for a pool.
 * They are not sessions: not listed, not recorded, not recovered. A gateway that stops ends them; one killed leaves
 * them to end themselves (they watch its pid), and the next one on the work directory ends any that are left.
 */
public final class WarmPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);
    /** After a pooled driver ended untaken (it cannot start, say), how long before the pool tries that line again. */
    private static final long RETRY_AFTER_FAILURE_MILLIS = 30_000;
    private static final WarmPool NONE = new WarmPool(Map.of(), Map.of(), 0, null);

    private final Map<String, Integer> sizes;
    private final Map<String, String> sparkDefaults;
    private final int sqlRowCap;
    private final SessionSpec.PythonSettings python;
    private final List<PooledDriver> drivers = new ArrayList<>();
    private final Map<String, Long> retryAt = new LinkedHashMap<>();
    private LocalPlacement placement;
    private Predicate<Map<String, String>> room;
    private Thread refill;
    private boolean closed;

    /**
     * {@code sizes}: pooled drivers per Spark line ({@link #sizes}); {@code sparkDefaults}, {@code sqlRowCap},
     * {@code python}: what every session starts from, so what a pooled driver starts with.
     */
    public WarmPool(Map<String, Integer> sizes, Map<String, String> sparkDefaults, int sqlRowCap,
                    SessionSpec.PythonSettings python) {
        this.sizes = Map.copyOf(sizes);
        this.sparkDefaults = Map.copyOf(sparkDefaults);
        this.sqlRowCap = sqlRowCap;
        this.python = python;
    }

    /** No pool: every session starts cold. */
    public static WarmPool none() {
        return NONE;
    }

    /**
     * {@code SPARKGATE_WARM_SESSIONS}: {@code N} for N drivers of each runtime line this gateway carries, or
     * {@code 3.5=1,4.1=2} per line; empty or 0 is no pool.
     */
    public static Map<String, Integer> sizes(String text, List<String> lines) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return sizes;
        }
        try {
            if (!text.contains("=")) {
                int n = Integer.parseInt(text.strip());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                lines.forEach(line -> sizes.put(line, n));
            } else {
                for (String pair : text.split(",")) {
                    String[] parts = pair.split("=", 2);
                    String line = parts[0].strip();
                    int n = Integer.parseInt(parts[1].strip());
                    if (!lines.contains(line) || n < 0) {
                        throw new NumberFormatException();
                    }
                    sizes.put(line, n);
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("SPARKGATE_WARM_SESSIONS is '" + text + "': give a number of warm "
                    + "drivers per runtime (e.g. 1), or per Spark line among " + lines + " (e.g. 3.5=1,4.1=1); 0 or "
                    + "empty for none.");
        }
        sizes.values().removeIf(n -> n == 0);
        return sizes;
    }

    /** The confs a pooled driver of {@code line} starts with: the operator's defaults, on that runtime. */
    Map<String, String> confOf(String line) {
        Map<String, String> conf = new LinkedHashMap<>(sparkDefaults);
        conf.put(DriverRuntimes.CHOICE_CONF, line);
        return conf;
    }

    /**
     * Starts keeping the pool full for {@code placement}'s drivers, first ending pooled drivers an earlier gateway
     * left in its work directory. {@code room} says whether the gateway could hold one more driver of these confs.
     */
    synchronized void start(LocalPlacement placement, Predicate<Map<String, String>> room) {
        if (sizes.isEmpty() || refill != null) {
            return;
        }
        this.placement = placement;
        this.room = room;
        endLeftovers(poolDir());
        refill = new Thread(this::refillLoop, "warm-pool");
        refill.setDaemon(true);
        refill.start();
    }

    private Path poolDir() {
        return placement.workDir().resolve("pool");
    }

    /**
     * A pooled driver for a session with these start-time confs ({@code conf}, the runtime's choice among them), warm
     * ones first; it is the session's from now (no other can take it), or the pool's again by {@link #giveBack}.
     */
    synchronized Optional<PooledDriver> take(Map<String, String> conf) {
        Optional<PooledDriver> match = drivers.stream()
                .filter(d -> d.available() && d.conf().equals(conf))
                .min(Comparator.comparing(d -> !d.warm()));
        match.ifPresent(d -> {
            drivers.remove(d);
            notifyAll();
        });
        return match;
    }

    /** A taken driver its session never launched (refused, or deleted first): it carries no one's identity yet. */
    synchronized void giveBack(PooledDriver driver) {
        if (!closed && driver.available() && pooledOf(driver.line()) < sizes.getOrDefault(driver.line(), 0)) {
            drivers.add(driver);
            notifyAll();
        } else {
            new Thread(driver::stop, "warm-pool-stop").start();
        }
    }

    /** The confs of the drivers it holds now, untaken: what they take of the gateway's capacity. */
    public synchronized List<Map<String, String>> held() {
        return drivers.stream().map(PooledDriver::conf).toList();
    }

    private long pooledOf(String line) {
        return drivers.stream().filter(d -> d.line().equals(line)).count();
    }

    /**
     * One driver at a time: on a small machine several starting at once would slow the sessions starting beside them.
     * {@code room} is asked without the pool's lock held: admission asks the pool what it holds under its own lock.
     */
    private void refillLoop() {
        try {
            while (true) {
                String line = shortLine();
                if (line == null) {
                    continue;
                }
                if (!room.test(confOf(line))) {
                    pause();
                    continue;
                }
                PooledDriver started = startOne(line);
                if (started != null) {
                    awaitWarmOrExit(started);
                }
            }
        } catch (InterruptedException closed) {
            // the gateway stops
        }
    }

    /** A line with fewer pooled drivers than asked, or null after a pause when none is short. */
    private synchronized String shortLine() throws InterruptedException {
        if (closed) {
            throw new InterruptedException("closed");
        }
        drivers.removeIf(d -> !d.available());
        for (Map.Entry<String, Integer> size : sizes.entrySet()) {
            if (pooledOf(size.getKey()) < size.getValue()
                    && System.currentTimeMillis() >= retryAt.getOrDefault(size.getKey(), 0L)) {
                return size.getKey();
            }
        }
        pause();
        return null;
    }

    /** A take, an exit or a session leaving (room) can change the answer: look again at least every second. */
    private synchronized void pause() throws InterruptedException {
        if (closed) {
            throw new InterruptedException("closed");
        }
        wait(1_000);
    }

    private synchronized PooledDriver startOne(String line) {
        if (closed) {
            return null;
        }
        Map<String, String> conf = confOf(line);
        // a pool is only kept without a cluster (Gateway): its drivers run their executors inside them
        Map<String, String> environment = DriverEnvironment.inherited(System.getenv());
        environment.putAll(NoCluster.DRIVER_ENVIRONMENT);
        try {
            PooledDriver driver = PooledDriver.start(placement.runtimes().chosenBy(line), line,
                    new SessionSpec(-1, "pool", Kind.shared, null, conf, sqlRowCap, python),
                    conf.getOrDefault("spark.driver.memory", placement.defaultHeap()), poolDir(),
                    environment, code -> endedUntaken(line, code));
            drivers.add(driver);
            LOG.info("warm pool: started a {} driver (pid {})", line, driver.process().pid());
            return driver;
        } catch (IOException | RuntimeException e) {
            LOG.warn("warm pool: cannot start a {} driver: {}; trying again in {} s", line, e.toString(),
                    RETRY_AFTER_FAILURE_MILLIS / 1000);
            retryAt.put(line, System.currentTimeMillis() + RETRY_AFTER_FAILURE_MILLIS);
            return null;
        }
    }

    private void awaitWarmOrExit(PooledDriver driver) {
        while (driver.available() && !driver.warm()) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private synchronized void endedUntaken(String line, int code) {
        if (closed) {
            return;
        }
        PooledDriver gone = drivers.stream().filter(d -> !d.available()).findFirst().orElse(null);
        LOG.warn("warm pool: a {} driver exited (code {}) before any session took it; trying again in {} s. "
                        + "Its last lines: {}", line, code, RETRY_AFTER_FAILURE_MILLIS / 1000,
                gone == null ? "none" : String.join(" | ", gone.lastLines(5)));
        if (gone != null) {
            deleteQuietly(gone.workDir());
        }
        retryAt.put(line, System.currentTimeMillis() + RETRY_AFTER_FAILURE_MILLIS);
        notifyAll();
    }

    /** Pooled drivers an earlier gateway left (it was killed): ended, their directories gone. */
    private static void endLeftovers(Path poolDir) {
        if (!Files.isDirectory(poolDir)) {
            return;
        }
        try (var dirs = Files.list(poolDir)) {
            for (Path dir : dirs.toList()) {
                Path marker = dir.resolve(PooledDriver.MARKER);
                if (!Files.exists(marker)) {
                    continue; // taken: a session's driver, which recovery follows
                }
                try {
                    PooledDriver.Marker found = Json.read(Files.readString(marker), PooledDriver.Marker.class);
                    ProcessHandle.of(found.pid()).filter(ProcessHandle::isAlive)
                            .filter(p -> DriverProcess.startOf(p).map(Object::toString).orElse("").equals(found.started()))
                            .ifPresent(p -> {
                                LOG.info("warm pool: ending pooled driver pid {} an earlier gateway left", p.pid());
                                p.destroyForcibly();
                            });
                } catch (IOException | RuntimeException e) {
                    LOG.warn("warm pool: cannot read {}: {}", marker, e.toString());
                }
                deleteQuietly(dir);
            }
        } catch (IOException e) {
            LOG.warn("warm pool: cannot look for pooled drivers left in {}: {}", poolDir, e.toString());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover directory is harmless, and the next gateway's start removes it
        }
    }

    /** Ends the drivers still pooled; returns once they are gone. */
    @Override
    public void close() {
        List<PooledDriver> ending;
        synchronized (this) {
            closed = true;
            notifyAll();
            ending = List.copyOf(drivers);
            drivers.clear();
        }
        if (refill != null) {
            refill.interrupt();
        }
        ending.parallelStream().forEach(driver -> {
            driver.stop();
            deleteQuietly(driver.workDir());
        });
    }
}
