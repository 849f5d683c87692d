package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.errors.NameTaken;
import dev.sparkgate.gateway.errors.SessionNotFound;
import dev.sparkgate.gateway.placement.SessionIds;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions this gateway runs, by id and by name. Ids are handed out here, in order and never twice; a name
 * belongs to one session at a time.
 */
public final class SessionRegistry {

    private final SessionIds ids;
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();

    public SessionRegistry() {
        this(SessionIds.inMemory());
    }

    /** {@code ids}: where ids come from; a placement whose sessions outlive the gateway keeps them. */
    public SessionRegistry(SessionIds ids) {
        this.ids = ids;
    }

    /** The next session id; a request refused after this still used its id up, as Livy's does. */
    public int nextId() {
        return ids.next();
    }

    /** Adds a session found after a restart, with its own id: later ids follow it. */
    void addFound(Session session) {
        ids.skipPast(session.id());
        add(session);
    }

    /** Refuses a name that a session has already. */
    public void requireNameFree(String name) {
        if (name != null && byName(name).isPresent()) {
            throw new NameTaken(name);
        }
    }

    /** Adds {@code session}, unless another one took its name meanwhile. */
    public synchronized void add(Session session) {
        requireNameFree(session.name());
        sessions.put(session.id(), session);
    }

    /** The session with this id, or else this name. */
    public Session get(String idOrName) {
        Session session = null;
        if (idOrName != null && idOrName.matches("\\d{1,9}")) {
            session = sessions.get(Integer.parseInt(idOrName));
        }
        if (session == null) {
            session = byName(idOrName).orElse(null);
        }
        if (session == null) {
            throw new SessionNotFound(idOrName);
        }
        return session;
    }

    public Optional<Session> byId(int id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** Forgets the session; true when it was here (a delete and a cull may race for it). */
    public boolean remove(Session session) {
        return sessions.remove(session.id(), session);
    }

    public List<Session> list() {
        return sessions.values().stream().sorted(Comparator.comparingInt(Session::id)).toList();
    }

    private Optional<Session> byName(String name) {
        return sessions.values().stream().filter(s -> name != null && name.equals(s.name())).findFirst();
    }
}
