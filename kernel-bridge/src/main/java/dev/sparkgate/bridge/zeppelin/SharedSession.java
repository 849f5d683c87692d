package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.GatewayException;
import dev.sparkgate.client.SessionEndedException;
import dev.sparkgate.client.SessionStream;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.SessionView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;
import java.util.function.Consumer;

/**
 * The Sparkgate session that the interpreters of one Zeppelin interpreter session share: {@code %sparkgate.spark},
 * {@code %sparkgate.pyspark} and {@code %sparkgate.sql} of everyone, of one note or of one user, as the setting's
 * per-note and per-user options say. Zeppelin makes one interpreter session per such scope (in one interpreter
 * process, or one process each when isolated), so one gateway session per interpreter session follows those
 * options exactly, as Zeppelin's own Spark interpreters share one SparkContext.
 *
 * <p>The session starts with the first paragraph, not when an interpreter opens, so that a wrong URL or token is
 * reported in that paragraph. It is reattached when only the connection dropped, replaced with a notice when it
 * ended (its idle timeout, a dead driver), and deleted when the last of its interpreters closes. A dropped connection
 * needs nothing here: the stream resumes it, and a running paragraph goes on.
 */
final class SharedSession {

    private static final Logger LOG = LoggerFactory.getLogger(SharedSession.class);

    private final Properties properties;
    private SessionSettings settings;
    private GatewayClient client;
    private SessionStream stream;
    private int openInterpreters;
    /** The Zeppelin user the session was created for, when impersonating; else null. */
    private String sessionUser;

    SharedSession(Properties properties) {
        this.properties = properties;
    }

    synchronized void join() {
        openInterpreters++;
    }

    /** An interpreter closed; the last one to close ends the session. */
    synchronized void leave() {
        openInterpreters = Math.max(0, openInterpreters - 1);
        if (openInterpreters == 0 && stream != null) {
            SessionStream last = stream;
            stream = null;
            last.close();
            deleteQuietly(last.sessionId());
        }
    }

    /**
     * A stream that takes statements: the current one, the same session reattached when the stream gave up on an
     * unreachable gateway, or a new session when the previous one ended, which {@code notice} is told about. Waits
     * while a session starts. {@code user}: the Zeppelin user running the paragraph; with impersonation the session
     * is created as theirs, and refused to any other user.
     */
    synchronized SessionStream connect(String user, Consumer<String> notice) {
        GatewayClient gateway = gateway();
        if (settings.impersonate()) {
            requireSessionUser(user);
        }
        if (stream != null && stream.usable()) {
            return stream;
        }
        String endedBefore = null;
        String why = "";
        if (stream != null) {
            SessionStream previous = stream;
            SessionEndedException ended = previous.failure().orElse(null) instanceof SessionEndedException e ? e : null;
            // asking fails while the gateway is unreachable: the paragraph says so, and the next one asks again
            SessionView view = ended != null ? null : gateway.findSession(String.valueOf(previous.sessionId()));
            stream = null;
            previous.close();
            if (view != null && !view.state().over()) {
                stream = open(gateway, view.id());
                return stream;
            }
            String state = ended != null && ended.state() != SessionState.killed ? ended.state().name()
                    : view == null ? "deleted, after its idle timeout or by someone" : view.state().name();
            endedBefore = "Sparkgate session " + previous.sessionId() + " has ended (" + state + ")";
            if (ended != null && !ended.cause().isBlank()) {
                why = " Why it ended, as the gateway logged it: " + ended.cause();
            }
            deleteQuietly(previous.sessionId());
        }
        stream = start(gateway, user);
        if (endedBefore != null) {
            notice.accept(endedBefore + ": this paragraph runs in a new session, " + stream.sessionId()
                    + ". What the old one defined is gone: run the paragraphs that define it again." + why);
        }
        return stream;
    }

    /** The stream if it is usable now; never starts a session. */
    synchronized SessionStream current() {
        return stream != null && stream.usable() ? stream : null;
    }

    private void requireSessionUser(String user) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("The sparkgate interpreter impersonates Zeppelin's users ("
                    + SessionSettings.IMPERSONATE + "), and this paragraph has none: sign in to Zeppelin.");
        }
        if (sessionUser != null && !sessionUser.equals(user)) {
            throw new IllegalArgumentException("This sparkgate interpreter's session runs as " + sessionUser
                    + ", not as " + user + ": with " + SessionSettings.IMPERSONATE + " set, instantiate the "
                    + "interpreter Per User (scoped or isolated), so that each user gets a session of their own.");
        }
    }

    private SessionStream start(GatewayClient gateway, String user) {
        SessionView session = gateway.createSession(settings.sessionRequestFor(user));
        sessionUser = settings.impersonate() ? user : null;
        LOG.info("Sparkgate session {} created at {}", session.id(), settings.gatewayUrl());
        try {
            return open(gateway, session.id());
        } catch (RuntimeException e) {
            // Nobody will use a session that did not come up in time: free its driver.
            deleteQuietly(session.id());
            throw e;
        }
    }

    /** The session's stream once the session can run statements, which the stream itself says. */
    private SessionStream open(GatewayClient gateway, int sessionId) {
        SessionStream opened = gateway.openStream(sessionId);
        try {
            opened.awaitActive(settings.startTimeout());
            return opened;
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private GatewayClient gateway() {
        if (client == null) {
            settings = SessionSettings.from(properties);
            client = new GatewayClient(settings.gatewayUrl(), settings.token(), settings.retry());
        }
        return client;
    }

    private void deleteQuietly(int sessionId) {
        try {
            client.deleteSession(sessionId);
            LOG.info("Sparkgate session {} deleted", sessionId);
        } catch (GatewayException e) {
            if (e.status() != 404) {
                LOG.warn("Could not delete Sparkgate session {}: {}", sessionId, e.getMessage());
            }
        }
    }
}
