package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.admission.AdmissionLimits;
import dev.sparkgate.gateway.admission.Footprint;
import dev.sparkgate.gateway.logging.LogContext;
import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.errors.SessionNotFound;
import dev.sparkgate.gateway.metrics.GatewayMetrics;
import dev.sparkgate.gateway.placement.DriverLaunch;
import dev.sparkgate.gateway.placement.DriverPlacement;
import dev.sparkgate.gateway.placement.FoundDriver;
import dev.sparkgate.gateway.placement.PlacedDriver;
import dev.sparkgate.gateway.placement.SessionOwner;
import dev.sparkgate.gateway.versions.VersionCheck;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.SessionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API families ask of sessions: create one, find it by id or name, list them, delete one. It assembles a
 * session from its parts (conf, placement, secret) and hands it to the {@link SessionRegistry}, the
 * {@link SessionLauncher} and the {@link SessionSupervisor}. One session's driver failing never touches another's.
 */
public final class SessionManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);
    private static final int LOG_CAPACITY = 2000;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** Whom a request without a user name is counted as: all such requests are one user's. */
    public static final String ANONYMOUS = "anonymous";

    private final SessionSettings settings;
    private final DriverPlacement placement;
    private final SessionRegistry registry;
    private final SessionLauncher launcher;
    private final SessionSupervisor supervisor;
    private final SessionAdmission admission;
    private final AdmissionLimits limits;
    private final SecureRandom random = new SecureRandom();
    private final GatewayMetrics metrics;
    private final EndedLogs endedLogs = new EndedLogs(java.time.Clock.systemUTC());

    /** {@code runtime}: the Spark line drivers run until one reports its own (the metrics' {@code runtime} label). */
    public SessionManager(SessionSettings settings, DriverPlacement placement, VersionCheck versionCheck,
                          GatewayMetrics metrics, String runtime, AdmissionLimits limits) {
        this.settings = settings;
        this.placement = placement;
        this.metrics = metrics;
        this.registry = new SessionRegistry(placement.sessionIds());
        metrics.sampleSessionsFrom(() -> registry.list().stream()
                .map(session -> session.sample(placement.name(), runtime)).toList());
        this.launcher = new SessionLauncher(new VersionGate(versionCheck));
        this.supervisor = new SessionSupervisor(settings.startTimeout(), registry::list, this::stopDriver, this::cull);
        this.limits = limits;
        // The start timeout runs from the launch: time spent waiting for a start slot is not the driver's.
        this.admission = new SessionAdmission(limits, registry, metrics,
                session -> launcher.launch(session, supervisor.watch(session)),
                () -> placement.pooled().stream().map(conf -> Footprint.ofSession(conf, limits.defaultHeap()))
                        .reduce(Footprint.NONE, Footprint::plus));
    }

    /**
     * Starts the placement's warm pool, if it has one: after {@link #recover()}, so the sessions taken back count
     * before any pooled driver does. A pooled driver starts only while the gateway has room for it and no session waits.
     */
    public void keepWarm() {
        placement.keepWarm(conf -> admission.roomForPooled(Footprint.ofSession(conf, limits.defaultHeap())));
    }

    /**
     * The user a request's limits are counted for: the session's owner (the authenticated user, or whom an allowed
     * impersonator names), else {@link #ANONYMOUS}. The one place that says whose share a session takes.
     */
    static String userOf(SessionRequest request) {
        return request.owner() == null || request.owner().isBlank() ? ANONYMOUS : request.owner();
    }

    public Session create(SessionRequest request) {
        registry.requireNameFree(request.name());
        settings.confPolicy().check(request.conf());
        int id = registry.nextId();
        SessionConf conf = SessionConf.of(request, settings.sparkDefaults());
        SessionTerms terms = new SessionTerms(idleTimeout(request), conf.versionCheckWarnOnly());
        PlacedDriver placed = placement.place(id, conf.sparkConf(),
                new SessionOwner(request.owner(), request.ownerGroups()));
        Map<String, String> sparkConf = new LinkedHashMap<>(conf.sparkConf());
        sparkConf.putAll(placed.sparkConf());
        // Spark's UI is served through the gateway (/sessions/{id}/ui/): its links and redirects must carry that path.
        sparkConf.put("spark.ui.proxyBase", Session.sparkUiPath(id));
        SessionSpec spec = new SessionSpec(id, request.name(), request.kind(), request.owner(), sparkConf,
                settings.sqlRowCap(), settings.python());
        Session session = new Session(spec, request, placed.secret().orElseGet(this::newSecret),
                new DriverLog(LOG_CAPACITY), placed, terms,
                metrics);
        try {
            admission.admit(session, userOf(request), Footprint.ofSession(sparkConf, limits.defaultHeap()));
        } catch (RuntimeException refusedOrNameTakenMeanwhile) {
            placed.release();
            throw refusedOrNameTakenMeanwhile;
        }
        try (LogContext logContext = LogContext.session(id, spec.owner())) {
            LOG.info("session {}: created ({}{}){}", id, spec.kind(), request.name() == null ? "" : ", " + request.name(),
                    session.state() == SessionState.not_started ? ", waiting to start" : "");
        }
        return session;
    }

    /**
     * Takes back the sessions an earlier gateway left with their drivers (a restart): each is {@code recovering} until
     * its driver dials back and returns the events this gateway lost, and {@code dead} ("the driver did not return after
     * the gateway restarted") if it does not within the recovery timeout. Call before the server listens, so a driver
     * that dials at once finds its session. Returns how many were found.
     */
    public int recover() {
        int found = 0;
        for (FoundDriver driver : placement.findDrivers()) {
            try (LogContext logContext = LogContext.session(driver.sessionId(), null)) {
                RecordedSession record;
                try {
                    record = RecordedSession.fromJson(driver.session());
                } catch (RuntimeException e) {
                    LOG.error("session {}: its record cannot be read ({}); not recovered", driver.sessionId(), e.toString());
                    continue;
                }
                PlacedDriver placed = placement.reclaim(driver, record.spec().sparkConf());
                Session session = Session.recovered(record, driver.secret(), new DriverLog(LOG_CAPACITY), placed, metrics);
                try {
                    registry.addFound(session);
                } catch (RuntimeException nameTaken) {
                    LOG.error("session {}: not recovered: {}", driver.sessionId(), nameTaken.getMessage());
                    continue;
                }
                admission.found(session, userOf(record.request()),
                        Footprint.ofSession(record.spec().sparkConf(), limits.defaultHeap()));
                LOG.info("session {}: found after a restart; waiting for its driver", session.id());
                placed.reattach(new DriverLaunch(session.spec(), session.secret(), session.log(),
                        supervisor.watchRecovery(session, settings.recoveryTimeout()), driver.session()));
                found++;
            }
        }
        return found;
    }

    /** How many sessions wait for their driver to come back after a restart. */
    public long recovering() {
        return registry.list().stream().filter(s -> s.state() == dev.sparkgate.protocol.SessionState.recovering).count();
    }

    private Duration idleTimeout(SessionRequest request) {
        return Optional.ofNullable(Durations.parse(request.idleTimeout(), "idleTimeout"))
                .or(() -> Optional.ofNullable(Durations.parse(request.ttl(), "ttl")))
                .or(() -> Optional.ofNullable(settings.idleTimeout()))
                .orElse(Duration.ZERO);
    }

    /** The session with this id, or else this name. */
    public Session get(String idOrName) {
        return registry.get(idOrName);
    }

    public Optional<Session> byId(int id) {
        return registry.byId(id);
    }

    public List<Session> list() {
        return registry.list();
    }

    /** Stops the session's driver and forgets the session; returns once the driver is gone. */
    public void delete(String idOrName) {
        Session session = get(idOrName);
        try (LogContext logContext = LogContext.session(session.id(), session.spec().owner())) {
            if (!registry.remove(session)) {
                throw new SessionNotFound(idOrName);
            }
            stopDriver(session);
            admission.left(session);
            endedLogs.keep(session.id(), session.log(), session.spec().owner(), session.sharing());
            LOG.info("session {}: deleted", session.id());
        }
    }

    /**
     * The driver log of a session, live or deleted a short while ago ({@link EndedLogs} says how long); a session
     * deleted longer ago answers {@code NotFound} saying so.
     */
    public SessionLog log(String idOrName) {
        try {
            Session session = registry.get(idOrName);
            return new SessionLog(session.id(), session.logNow(), session.spec().owner(), session.sharing());
        } catch (SessionNotFound deleted) {
            Optional<Integer> id = idOrName.matches("\\d{1,9}") ? Optional.of(Integer.parseInt(idOrName))
                    : Optional.empty();
            return endedLogs.log(idOrName, id);
        }
    }

    private void cull(Session session) {
        try (LogContext logContext = LogContext.session(session.id(), session.spec().owner())) {
            if (registry.remove(session)) {
                metrics.sessionCulled();
                stopDriver(session);
                admission.left(session);
                endedLogs.keep(session.id(), session.log(), session.spec().owner(), session.sharing());
                LOG.info("session {}: deleted", session.id());
            }
        }
    }

    private void stopDriver(Session session) {
        session.beginShutdown();
        session.placed().stop(SHUTDOWN_GRACE);
        session.finishShutdown();
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Leaves every session running (the operator asked to keep them): their drivers wait for a gateway on the same
     * work directory or cluster, which takes them back.
     */
    public void leave() {
        launcher.close();
        supervisor.close();
    }

    @Override
    public void close() {
        // No session leaves the queue while the gateway stops: the waiting ones are deleted with the rest.
        admission.close();
        registry.list().parallelStream().forEach(session -> {
            registry.remove(session);
            stopDriver(session);
        });
        launcher.close();
        supervisor.close();
    }
}
