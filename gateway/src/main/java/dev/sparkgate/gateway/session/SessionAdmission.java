package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.admission.AdmissionLimits;
import dev.sparkgate.gateway.admission.Footprint;
import dev.sparkgate.gateway.errors.OverCapacity;
import dev.sparkgate.gateway.errors.OverUserLimit;
import dev.sparkgate.gateway.logging.LogContext;
import dev.sparkgate.gateway.metrics.GatewayMetrics;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.StreamUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Which sessions the gateway takes on, and when they start. A new session is counted against its user's and the
 * gateway's {@link AdmissionLimits} and refused when it would go over one; accepted, it is registered at once (so the
 * next request counts it) and waits as {@code not_started} until fewer than {@code maxStarting} sessions are
 * starting, then starts, oldest first. Counting is by what sessions hold, not by what their drivers do yet: a waiting
 * session holds its place in its user's limit. A session that ended or was deleted holds nothing; a deleted waiting
 * session leaves the queue without ever starting.
 *
 * <p>One lock for admission and the queue. Sessions tell it of their changes under their own locks, so it never
 * acts on their thread: it hands the queue's turn to a thread of its own.
 */
final class SessionAdmission implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionAdmission.class);

    private final AdmissionLimits limits;
    private final SessionRegistry registry;
    private final GatewayMetrics metrics;
    private final Consumer<Session> launch;
    /** What the placement's warm drivers hold, untaken: they count against the gateway's capacity as sessions do. */
    private final Supplier<Footprint> pooled;
    /** What each registered session was admitted with: its user and its footprint. */
    private final Map<Integer, Claim> claims = new ConcurrentHashMap<>();
    /** Waiting sessions whose log says why they wait, so it says so once. */
    private final Set<Integer> waitingTold = ConcurrentHashMap.newKeySet();
    private final ExecutorService turns = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "session-admission");
        t.setDaemon(true);
        return t;
    });

    private record Claim(String user, Footprint footprint) {
    }

    /**
     * {@code launch} launches a session that leaves the queue; {@code pooled} is what the placement's warm drivers
     * hold (none without a pool).
     */
    SessionAdmission(AdmissionLimits limits, SessionRegistry registry, GatewayMetrics metrics, Consumer<Session> launch,
                     Supplier<Footprint> pooled) {
        this.pooled = pooled;
        this.limits = limits;
        this.registry = registry;
        this.metrics = metrics;
        this.launch = launch;
    }

    /**
     * Admits {@code session} for {@code user}, or refuses it ({@code OverUserLimit}, {@code OverCapacity}, or the
     * registry's {@code NameTaken}); admitted, it is registered and starts now or when its turn comes.
     */
    synchronized void admit(Session session, String user, Footprint asked) {
        Footprint usersNow = Footprint.NONE;
        for (Session held : registry.list()) {
            Claim claim = claims.get(held.id());
            if (claim != null && holds(held) && claim.user().equals(user)) {
                usersNow = usersNow.plus(claim.footprint());
            }
        }
        Footprint gatewayNow = gatewayHolds();
        try {
            limits.check(user, asked, usersNow, gatewayNow);
        } catch (OverUserLimit | OverCapacity refused) {
            metrics.admissionRefused();
            try (LogContext logContext = LogContext.session(session.id(), user)) {
                LOG.info("session {}: refused: {}", session.id(), refused.getMessage());
            }
            throw refused;
        }
        registry.add(session);
        claims.put(session.id(), new Claim(user, asked));
        session.subscribe(new SessionSubscriber() {
            private boolean started;

            @Override
            public void send(StreamUpdate update) {
                // Its start slot frees once, when it is up (or failed to start); later changes free nothing.
                if (!started && update instanceof StreamUpdate.Session changed
                        && !changed.session().state().starting()) {
                    started = true;
                    nextTurn();
                }
            }

            @Override
            public void sessionClosed() {
                nextTurn();
            }
        }, Long.MAX_VALUE);
        startWaiting();
    }

    /** What the gateway holds: its sessions' shares and its warm pool's untaken drivers. */
    private Footprint gatewayHolds() {
        Footprint now = pooled.get();
        for (Session held : registry.list()) {
            Claim claim = claims.get(held.id());
            if (claim != null && holds(held)) {
                now = now.plus(claim.footprint());
            }
        }
        return now;
    }

    /**
     * Whether the warm pool may start a driver of {@code footprint}: only while no session waits for a start slot,
     * fewer than the most sessions start at once, and the gateway could take it as a session. A pool never takes a
     * place a session asked for.
     */
    synchronized boolean roomForPooled(Footprint footprint) {
        List<Session> sessions = registry.list();
        if (sessions.stream().anyMatch(s -> s.state() == SessionState.not_started)
                || !limits.mayStart((int) sessions.stream().filter(s -> s.state() == SessionState.starting).count())) {
            return false;
        }
        try {
            limits.check("the warm pool", footprint, Footprint.NONE, gatewayHolds());
            return true;
        } catch (OverUserLimit | OverCapacity noRoom) {
            return false;
        }
    }

    /**
     * A session a restarted gateway took back: it holds its user's share again, whatever the limits say now (it was
     * admitted once, and taking it back must not lose it), and it never waits for a start slot: its driver runs.
     */
    void found(Session session, String user, Footprint held) {
        claims.put(session.id(), new Claim(user, held));
    }

    /** The session left the registry (deleted, culled): it holds nothing, and a start slot may be free. */
    void left(Session session) {
        claims.remove(session.id());
        waitingTold.remove(session.id());
        nextTurn();
    }

    private void nextTurn() {
        if (!turns.isShutdown()) {
            turns.execute(this::startWaiting);
        }
    }

    /** Starts waiting sessions, oldest first, while fewer than the limit are starting. */
    private synchronized void startWaiting() {
        List<Session> sessions = registry.list();
        int starting = (int) sessions.stream().filter(s -> s.state() == SessionState.starting).count();
        List<Session> waiting = sessions.stream().filter(s -> s.state() == SessionState.not_started).toList();
        for (Session next : waiting) {
            if (!limits.mayStart(starting)) {
                if (!waitingTold.contains(next.id())) {
                    waitingTold.add(next.id());
                    next.waiting(starting + " sessions are starting, the most this gateway starts at once "
                            + "(SPARKGATE_MAX_STARTING); this one starts when one of them is up.");
                }
                continue;
            }
            if (next.launching()) {
                waitingTold.remove(next.id());
                starting++;
                launch.accept(next);
            }
        }
    }

    /** Whether a session holds its share: everything but a session that ended (its driver is gone). */
    private static boolean holds(Session session) {
        return !session.state().ended();
    }

    @Override
    public void close() {
        turns.shutdownNow();
    }
}
