package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.errors.SessionNotFound;
import dev.sparkgate.gateway.placement.DriverPlacement;
import dev.sparkgate.gateway.placement.PlacedDriver;
import dev.sparkgate.gateway.versions.VersionCheck;
import dev.sparkgate.protocol.SessionSpec;
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

    private final SessionSettings settings;
    private final DriverPlacement placement;
    private final SessionRegistry registry = new SessionRegistry();
    private final SessionLauncher launcher;
    private final SessionSupervisor supervisor;
    private final SecureRandom random = new SecureRandom();

    public SessionManager(SessionSettings settings, DriverPlacement placement, VersionCheck versionCheck) {
        this.settings = settings;
        this.placement = placement;
        this.launcher = new SessionLauncher(new VersionGate(versionCheck));
        this.supervisor = new SessionSupervisor(settings.startTimeout(), registry::list, this::stopDriver, this::cull);
    }

    public Session create(SessionRequest request) {
        registry.requireNameFree(request.name());
        settings.confPolicy().check(request.conf());
        int id = registry.nextId();
        SessionConf conf = SessionConf.of(request, settings.sparkDefaults());
        SessionTerms terms = new SessionTerms(idleTimeout(request), conf.versionCheckWarnOnly());
        PlacedDriver placed = placement.place(id, conf.sparkConf());
        Map<String, String> sparkConf = new LinkedHashMap<>(conf.sparkConf());
        sparkConf.putAll(placed.sparkConf());
        SessionSpec spec = new SessionSpec(id, request.name(), request.kind(), request.owner(), sparkConf,
                settings.sqlRowCap(), settings.python());
        Session session = new Session(spec, request, newSecret(), new DriverLog(LOG_CAPACITY), placed, terms);
        try {
            registry.add(session);
        } catch (RuntimeException nameTakenMeanwhile) {
            placed.release();
            throw nameTakenMeanwhile;
        }
        LOG.info("session {}: created ({}{})", id, spec.kind(), request.name() == null ? "" : ", " + request.name());
        launcher.launch(session, supervisor.watch(session));
        return session;
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
        if (!registry.remove(session)) {
            throw new SessionNotFound(idOrName);
        }
        stopDriver(session);
        LOG.info("session {}: deleted", session.id());
    }

    private void cull(Session session) {
        if (registry.remove(session)) {
            stopDriver(session);
            LOG.info("session {}: deleted", session.id());
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

    @Override
    public void close() {
        registry.list().parallelStream().forEach(session -> {
            registry.remove(session);
            stopDriver(session);
        });
        launcher.close();
        supervisor.close();
    }
}
