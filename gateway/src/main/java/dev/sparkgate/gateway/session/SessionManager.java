package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.ApiError;
import dev.sparkgate.gateway.GatewayConfig;
import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.driver.DriverProcess;
import dev.sparkgate.gateway.driver.DriverRuntime;
import dev.sparkgate.gateway.kubernetes.KubernetesCluster;
import dev.sparkgate.gateway.kubernetes.Placement;
import dev.sparkgate.gateway.versions.VersionCheck;
import dev.sparkgate.protocol.VersionVerdict;
import dev.sparkgate.versions.DriverPython;
import dev.sparkgate.versions.VersionRules;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.SessionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Creates sessions, starts and supervises their driver JVMs, finds them by id or name, and stops them.
 * One session's driver failing never touches another's.
 */
public final class SessionManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);
    private static final int LOG_CAPACITY = 2000;
    private static final long SHUTDOWN_GRACE_MILLIS = 10_000;

    private final GatewayConfig config;
    private final DriverRuntime runtime;
    private final IntFunction<URI> linkAddress;
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final Map<Integer, Duration> idleTimeouts = new ConcurrentHashMap<>();
    private final KubernetesCluster kubernetes;
    private final VersionCheck versionCheck;
    private final Map<Integer, Placement> placements = new ConcurrentHashMap<>();
    private final Set<Integer> versionOverrides = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextId = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService launcher = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "driver-launcher");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "session-timers");
        t.setDaemon(true);
        return t;
    });

    /**
     * {@code linkAddress} gives the WebSocket address a session's driver dials back to; {@code kubernetes} is the
     * cluster executors run on, or null for the embedded default.
     */
    public SessionManager(GatewayConfig config, DriverRuntime runtime, IntFunction<URI> linkAddress,
                          KubernetesCluster kubernetes, VersionCheck versionCheck) {
        this.config = config;
        this.runtime = runtime;
        this.linkAddress = linkAddress;
        this.kubernetes = kubernetes;
        this.versionCheck = versionCheck;
        timers.scheduleWithFixedDelay(this::cullIdleSessions, 1, 1, TimeUnit.SECONDS);
    }

    public Session create(SessionRequest request) {
        if (request.name() != null && findByName(request.name()).isPresent()) {
            throw new ApiError(409, "A session named '" + request.name() + "' exists already: "
                    + "attach to it by that name, or choose another name.");
        }
        config.confPolicy().check(request.conf());
        int id = nextId.getAndIncrement();
        Map<String, String> conf = sparkConf(request);
        String override = conf.remove(VersionCheck.OVERRIDE_CONF);
        if (override != null && !override.equals("warn") && !override.equals("enforce")) {
            throw ApiError.badRequest("'" + VersionCheck.OVERRIDE_CONF + "' is 'enforce' (the default) or 'warn', not '"
                    + override + "'.");
        }
        if ("warn".equals(override)) {
            versionOverrides.add(id);
        }
        Placement placement = kubernetes == null ? null : kubernetes.place(id, conf);
        if (placement != null) {
            conf.putAll(placement.sparkConf());
            placements.put(id, placement);
        }
        SessionSpec spec = new SessionSpec(id, request.name(), request.kind(), request.owner(), conf,
                config.sqlRowCap(), config.python());
        Session session = new Session(spec, request, newSecret(), new DriverLog(LOG_CAPACITY),
                placement == null ? List::of : () -> kubernetes.executors(placement));
        sessions.put(id, session);
        idleTimeouts.put(id, Optional.ofNullable(Durations.parse(request.idleTimeout(), "idleTimeout"))
                .or(() -> Optional.ofNullable(Durations.parse(request.ttl(), "ttl")))
                .orElse(config.sessionIdleTimeout()));
        LOG.info("session {}: created ({}{})", id, spec.kind(), request.name() == null ? "" : ", " + request.name());
        launcher.execute(() -> launch(session, request));
        timers.schedule(() -> {
            session.onStartTimeout(config.driverStartTimeout().toSeconds());
            if (session.state() == SessionState.error) {
                stopDriver(session);
            }
        }, config.driverStartTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return session;
    }

    /** Operator defaults, then the user's confs, then Livy's resource fields (which name Spark confs). */
    private Map<String, String> sparkConf(SessionRequest request) {
        Map<String, String> conf = new LinkedHashMap<>(config.sparkDefaults());
        conf.putAll(request.conf());
        putIf(conf, "spark.executor.memory", request.executorMemory());
        putIf(conf, "spark.executor.cores", request.executorCores());
        putIf(conf, "spark.executor.instances", request.numExecutors());
        putIf(conf, "spark.driver.cores", request.driverCores());
        putIf(conf, "spark.driver.memory", request.driverMemory());
        putIf(conf, "spark.jars", String.join(",", request.jars()));
        putIf(conf, "spark.submit.pyFiles", String.join(",", request.pyFiles()));
        putIf(conf, "spark.files", String.join(",", request.files()));
        putIf(conf, "spark.archives", String.join(",", request.archives()));
        return conf;
    }

    private static void putIf(Map<String, String> conf, String key, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            conf.put(key, value.toString());
        }
    }

    private void launch(Session session, SessionRequest request) {
        if (!checkVersions(session)) {
            releasePlacement(session.id());
            return;
        }
        try {
            // Unique even across gateways sharing a work dir: a directory is deleted when its driver exits.
            Path workDir = Files.createTempDirectory(Files.createDirectories(config.workDir()), "session-" + session.id() + "-");
            Path tmp = Files.createDirectories(workDir.resolve("tmp"));
            // Livy's driverMemory, or spark.driver.memory as Zeppelin's Livy interpreter sends it, sizes the JVM.
            String heap = Optional.ofNullable(request.driverMemory())
                    .or(() -> Optional.ofNullable(session.spec().sparkConf().get("spark.driver.memory")))
                    .orElse(config.driverMemory());
            Map<String, String> env = new LinkedHashMap<>(Map.of(
                    "SPARKGATE_DRIVER_LINK", linkAddress.apply(session.id()).toString(),
                    "SPARKGATE_SESSION_SECRET", session.secret(),
                    "SPARKGATE_SESSION_SPEC", Json.write(session.spec())));
            Optional.ofNullable(placements.get(session.id())).ifPresent(p -> env.putAll(p.driverEnvironment()));
            DriverProcess process = DriverProcess.start(runtime.command(heap, tmp), env, workDir, session.log(),
                    exitCode -> {
                        session.onDriverExit(exitCode);
                        releasePlacement(session.id());
                        deleteQuietly(workDir);
                    });
            session.attachProcess(process);
            LOG.info("session {}: driver JVM started (pid {})", session.id(), process.pid());
        } catch (IOException | RuntimeException e) {
            session.log().append("sparkgate: could not start the driver JVM: " + e.getMessage());
            LOG.error("session {}: could not start the driver JVM: {}", session.id(), e.toString());
            session.onDriverExit(-1);
        }
    }

    /**
     * Before the driver asks for executors: do its Spark and Python match the executor image? Chooses the session's
     * driver Python where several could run it. False when the session must not start.
     */
    private boolean checkVersions(Session session) {
        Placement placement = placements.get(session.id());
        if (versionCheck == null || placement == null) {
            return true;
        }
        SessionSpec spec = session.spec();
        session.log().append("sparkgate: checking that image " + spec.sparkConf().get("spark.kubernetes.container.image")
                + " and this driver agree on Spark and Python");
        VersionRules.Judgement judgement;
        try {
            judgement = versionCheck.judge(spec.kind(), spec.sparkConf().get("spark.kubernetes.container.image"),
                    placement.namespace(), spec.sparkConf());
        } catch (RuntimeException e) {
            LOG.warn("session {}: version check failed: {}", session.id(), e.toString());
            session.refuse("the executor image's versions could not be learnt: " + e.getMessage());
            return false;
        }
        VersionVerdict verdict = judgement.verdict();
        if (verdict.refused() && versionOverrides.contains(session.id())) {
            LOG.warn("session {}: version check refused, going on as {}=warn asks: {}", session.id(),
                    VersionCheck.OVERRIDE_CONF, verdict.summary());
            verdict = new VersionVerdict("overridden", verdict.summary(), verdict.notes(), verdict.driver(), verdict.image());
        }
        session.recordVersions(verdict);
        if (verdict.refused()) {
            session.refuse(verdict.summary());
            return false;
        }
        if (judgement.python() != null && !spec.sparkConf().containsKey(DriverPython.DRIVER_PYTHON_CONF)) {
            Map<String, String> conf = new LinkedHashMap<>(spec.sparkConf());
            conf.put(DriverPython.DRIVER_PYTHON_CONF, judgement.python().executable());
            session.updateSpec(new SessionSpec(spec.id(), spec.name(), spec.kind(), spec.owner(), conf,
                    spec.sqlRowCap(), spec.python()));
        }
        return true;
    }

    /** Deletes sessions idle for longer than their timeout (Livy's session timeout), freeing their drivers. */
    private void cullIdleSessions() {
        long now = System.currentTimeMillis();
        for (Session session : list()) {
            Duration timeout = idleTimeouts.get(session.id());
            if (timeout != null && !timeout.isZero() && session.idleFor(now).compareTo(timeout) > 0) {
                LOG.info("session {}: culled after {} s idle", session.id(), timeout.toSeconds());
                try {
                    delete(String.valueOf(session.id()));
                } catch (ApiError goneMeanwhile) {
                    // deleted by its user at the same moment
                }
            }
        }
    }

    /** The session with this id, or else this name. */
    public Session get(String idOrName) {
        Session session = null;
        if (idOrName != null && idOrName.matches("\\d{1,9}")) {
            session = sessions.get(Integer.parseInt(idOrName));
        }
        if (session == null) {
            session = findByName(idOrName).orElse(null);
        }
        if (session == null) {
            throw ApiError.sessionNotFound(idOrName);
        }
        return session;
    }

    public Optional<Session> byId(int id) {
        return Optional.ofNullable(sessions.get(id));
    }

    private Optional<Session> findByName(String name) {
        return sessions.values().stream().filter(s -> name != null && name.equals(s.name())).findFirst();
    }

    public List<Session> list() {
        return sessions.values().stream().sorted(Comparator.comparingInt(Session::id)).toList();
    }

    /** Stops the session's driver and forgets the session; returns once the driver process is gone. */
    public void delete(String idOrName) {
        Session session = get(idOrName);
        sessions.remove(session.id());
        idleTimeouts.remove(session.id());
        versionOverrides.remove(session.id());
        stopDriver(session);
        LOG.info("session {}: deleted", session.id());
    }

    private void stopDriver(Session session) {
        session.beginShutdown();
        DriverProcess process = session.process();
        if (process != null) {
            process.stop(SHUTDOWN_GRACE_MILLIS);
        }
        releasePlacement(session.id());
        session.finishShutdown();
    }

    /** The session is over: its executor pods are deleted and its driver ports freed, once. */
    private void releasePlacement(int sessionId) {
        Placement placement = placements.remove(sessionId);
        if (placement != null) {
            kubernetes.release(placement);
        }
    }

    /** Whether {@code secret} is the one session {@code id}'s driver was started with. */
    public boolean authenticDriver(int id, String secret) {
        Session session = sessions.get(id);
        return session != null && secret != null && MessageDigest.isEqual(
                session.secret().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    public void onLinkClosed(int id, DriverLink link) {
        byId(id).ifPresent(s -> s.onLinkClosed(link));
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }

    @Override
    public void close() {
        list().parallelStream().forEach(session -> {
            sessions.remove(session.id());
            stopDriver(session);
        });
        launcher.shutdownNow();
        timers.shutdownNow();
    }
}
