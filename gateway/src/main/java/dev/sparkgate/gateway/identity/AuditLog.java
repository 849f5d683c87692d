package dev.sparkgate.gateway.identity;

import dev.sparkgate.gateway.session.Session;
import dev.sparkgate.gateway.session.Sharing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per action that matters — a session created, deleted, executed in, shared, or an action denied — on a
 * logger of its own ({@value #LOGGER}), so an operator can route or keep it apart. Each line carries who (and how
 * they signed in), what, on which session, and the outcome as key-value pairs, which the JSON log format gives as
 * fields ({@code who}, {@code via}, {@code action}, {@code target}, {@code outcome}) and the text format in its
 * message.
 */
public final class AuditLog {

    public static final String LOGGER = "sparkgate.audit";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    public enum Outcome { allowed, denied }

    private AuditLog() {
    }

    /** A session created: by whom, for whom, and with whom it is shared when it is. */
    public static void created(User who, Session session) {
        String id = "Session " + session.id();
        record(who, "create", id, Outcome.allowed, "owner " + session.spec().owner());
        Sharing sharing = session.sharing();
        if (!sharing.isEmpty()) {
            record(who, "share", id, Outcome.allowed, "view users " + sharing.viewUsers() + ", view groups "
                    + sharing.viewGroups() + ", modify users " + sharing.modifyUsers() + ", modify groups "
                    + sharing.modifyGroups());
        }
    }

    /** {@code target}: what was acted on ("Session 3", "Kernel K"), or null for nothing yet. */
    public static void record(User who, String action, String target, Outcome outcome, String detail) {
        LOG.atInfo().addKeyValue("who", who.name()).addKeyValue("via", who.via()).addKeyValue("action", action)
                .addKeyValue("target", target == null ? "" : target).addKeyValue("outcome", outcome.name())
                .log("audit: {} {} {}: {}{}", who.name(), action, target == null ? "-" : target,
                        outcome, detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
