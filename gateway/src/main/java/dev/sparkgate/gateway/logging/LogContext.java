package dev.sparkgate.gateway.logging;

import org.slf4j.MDC;

/**
 * The session (and its user, when known) that the lines logged on this thread are about, in slf4j's MDC: the JSON
 * log gives them as {@code session} and {@code user} fields, so an operator can find one session's lines with a
 * query instead of a text search. Opened where the session core acts for a session, closed with try-with-resources,
 * which restores what the thread had before (a session's work may nest in another's request).
 */
public final class LogContext implements AutoCloseable {

    public static final String SESSION = "session";
    public static final String USER = "user";

    private final String previousSession;
    private final String previousUser;

    private LogContext(String session, String user) {
        previousSession = MDC.get(SESSION);
        previousUser = MDC.get(USER);
        put(SESSION, session);
        put(USER, user);
    }

    public static LogContext session(int id, String user) {
        return new LogContext(String.valueOf(id), user);
    }

    @Override
    public void close() {
        put(SESSION, previousSession);
        put(USER, previousUser);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
