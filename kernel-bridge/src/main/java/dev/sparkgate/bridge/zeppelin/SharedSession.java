package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.bridge.client.GatewayClient;
import dev.sparkgate.bridge.client.GatewayException;
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
 * ended (its idle timeout, a dead driver), and deleted when the last of its interpreters closes.
 */
final class SharedSession {

    private static final Logger LOG = LoggerFactory.getLogger(SharedSession.class);

    private final Properties properties;
    private SessionSettings settings;
    private GatewayClient client;
    private SessionConnection connection;
    private int openInterpreters;

    SharedSession(Properties properties) {
        this.properties = properties;
    }

    synchronized void join() {
        openInterpreters++;
    }

    /** An interpreter closed; the last one to close ends the session. */
    synchronized void leave() {
        openInterpreters = Math.max(0, openInterpreters - 1);
        if (openInterpreters == 0 && connection != null) {
            SessionConnection last = connection;
            connection = null;
            last.close();
            deleteQuietly(last.sessionId());
        }
    }

    /**
     * A connection that takes statements: the current one, the same session reattached, or a new session when the
     * previous one ended, which {@code notice} is told about. Waits while a session starts.
     */
    synchronized SessionConnection connect(Consumer<String> notice) {
        if (connection != null && connection.usable()) {
            return connection;
        }
        GatewayClient gateway = gateway();
        String endedBefore = null;
        if (connection != null) {
            SessionConnection previous = connection;
            connection = null;
            previous.close();
            SessionView view = gateway.findSession(String.valueOf(previous.sessionId()));
            if (view != null && !view.state().over()) {
                gateway.awaitIdle(view.id(), settings.startTimeout());
                connection = SessionConnection.open(gateway, view.id());
                return connection;
            }
            endedBefore = "Sparkgate session " + previous.sessionId() + " has ended ("
                    + (view == null ? "deleted, after its idle timeout or by someone" : view.state()) + ")";
            if (view != null) {
                deleteQuietly(view.id());
            }
        }
        connection = start(gateway);
        if (endedBefore != null) {
            notice.accept(endedBefore + ": this paragraph runs in a new session, " + connection.sessionId()
                    + ". What the old one defined is gone: run the paragraphs that define it again.");
        }
        return connection;
    }

    /** The connection if one is usable now; never starts a session. */
    synchronized SessionConnection current() {
        return connection != null && connection.usable() ? connection : null;
    }

    private SessionConnection start(GatewayClient gateway) {
        SessionView session = gateway.createSession(settings.sessionRequest());
        LOG.info("Sparkgate session {} created at {}", session.id(), settings.gatewayUrl());
        try {
            gateway.awaitIdle(session.id(), settings.startTimeout());
            return SessionConnection.open(gateway, session.id());
        } catch (RuntimeException e) {
            // Nobody will use a session that did not come up in time: free its driver.
            deleteQuietly(session.id());
            throw e;
        }
    }

    private GatewayClient gateway() {
        if (client == null) {
            settings = SessionSettings.from(properties);
            client = new GatewayClient(settings.gatewayUrl(), settings.token());
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
