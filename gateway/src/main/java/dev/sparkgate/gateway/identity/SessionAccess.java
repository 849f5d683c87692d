package dev.sparkgate.gateway.identity;

import dev.sparkgate.gateway.errors.NotPermitted;
import dev.sparkgate.gateway.session.Session;
import dev.sparkgate.gateway.session.SessionLog;
import dev.sparkgate.gateway.session.SessionRequest;
import dev.sparkgate.gateway.session.Sharing;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What is whose. Every session has an owner, the user who created it (or whom an allowed creator acted as). Admins
 * see and act on every session; anyone else sees their own and those shared with them to view, and acts (executes,
 * cancels, completes, deletes) on their own and those shared with them to modify. Every API family asks here before
 * it shows or touches a session; a refusal is {@link NotPermitted} (403 in each family's mapping), audited.
 *
 * <p>Acting as another user — Livy's {@code proxyUser}, Jupyter's {@code KERNEL_USERNAME}, a Zeppelin user passed as
 * either — is for admins and the service identities the operator lists in {@code SPARKGATE_IMPERSONATORS}; the
 * session then belongs to that user, and its creator may still drive it.
 */
public final class SessionAccess {

    private final Set<String> impersonators;
    private final Function<String, Set<String>> groupsOf;

    /** {@code groupsOf}: the groups of a user a session is made for by someone else ({@link IdentityChain#knownGroups}). */
    public SessionAccess(Set<String> impersonators, Function<String, Set<String>> groupsOf) {
        this.impersonators = Set.copyOf(impersonators);
        this.groupsOf = groupsOf;
    }

    public boolean canView(User user, String owner, Sharing sharing) {
        return canModify(user, owner, sharing) || sharing.viewUsers().contains(user.name())
                || sharing.viewGroups().stream().anyMatch(user.groups()::contains);
    }

    public boolean canModify(User user, String owner, Sharing sharing) {
        return user.admin() || Objects.equals(owner, user.name()) || sharing.modifyUsers().contains(user.name())
                || sharing.modifyGroups().stream().anyMatch(user.groups()::contains);
    }

    /** The sessions of {@code all} that {@code user} may see. */
    public List<Session> visible(User user, List<Session> all) {
        return all.stream().filter(session -> canView(user, session.spec().owner(), session.sharing())).toList();
    }

    /** {@code session}, if {@code user} may see it; {@code action} names what they asked, for the refusal. */
    public Session view(User user, Session session, String action) {
        require(user, false, "Session " + session.id(), session.spec().owner(), session.sharing(), action);
        return session;
    }

    /** {@code session}, if {@code user} may act on it. */
    public Session modify(User user, Session session, String action) {
        require(user, true, "Session " + session.id(), session.spec().owner(), session.sharing(), action);
        return session;
    }

    public SessionLog view(User user, SessionLog log) {
        require(user, false, "Session " + log.sessionId(), log.owner(), log.sharing(), "read the log of");
        return log;
    }

    /**
     * Refuses {@code user} what {@code thing} (e.g. "Kernel K") of {@code owner}, shared as {@code sharing}, does not
     * allow them: to see it, or with {@code modify} to act on it.
     */
    public void require(User user, boolean modify, String thing, String owner, Sharing sharing, String action) {
        boolean viewer = canView(user, owner, sharing);
        if (modify ? canModify(user, owner, sharing) : viewer) {
            return;
        }
        AuditLog.record(user, action, thing, AuditLog.Outcome.denied,
                viewer ? "shared to view only" : "owner " + owner);
        throw new NotPermitted(viewer
                ? thing + " is " + owner + "'s and shared with you (" + user.name() + ") to view only: you cannot "
                        + action + " it. Ask " + owner + " to share it with you to modify (modifyUsers or "
                        + "modifyGroups when creating it)."
                : thing + " is " + owner + "'s, not yours (" + user.name() + "), and not shared with you: you "
                        + "cannot " + action + " it. Only its owner, the users and groups it is shared with, and "
                        + "admins can.");
    }

    /**
     * The request as {@code user} may make it: owned by {@code user}, or by {@code actAs} when they may act as
     * another user ({@code field} names where the client asked for it, for the refusal). The creator of a session
     * made for someone else may still drive it.
     */
    public SessionRequest claim(User user, SessionRequest request, String actAs, String field) {
        if (actAs == null || actAs.isBlank() || actAs.equals(user.name())) {
            return request.ownedBy(user.name(), user.groups(), request.sharing());
        }
        if (!user.admin() && !impersonators.contains(user.name())) {
            AuditLog.record(user, "create as " + actAs, null, AuditLog.Outcome.denied, field);
            throw new NotPermitted("You are signed in as '" + user.name() + "' and asked to act as '" + actAs
                    + "' (" + field + "): only admins (SPARKGATE_ADMIN_USERS, SPARKGATE_ADMIN_GROUPS) and the "
                    + "service identities in SPARKGATE_IMPERSONATORS may act as another user. Leave " + field
                    + " out to create the session as yourself.");
        }
        return request.ownedBy(actAs, groupsOf.apply(actAs), request.sharing().withModifier(user.name()));
    }
}
