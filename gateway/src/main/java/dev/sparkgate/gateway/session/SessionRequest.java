package dev.sparkgate.gateway.session;

import dev.sparkgate.protocol.Kind;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a client asked for when creating a session, validated; Livy's fields, whichever API it came through.
 * {@code owner} is the user the session belongs to (the API family decides it from who asks), {@code sharing} who
 * else may see or drive it. {@code ownerGroups} are the owner's groups as the gateway authenticated them (none when
 * the session was made for another user, whose groups it does not know): pod placement's templates read them.
 */
public record SessionRequest(Kind kind, String name, String owner, String proxyUser, Map<String, String> conf,
                             String driverMemory, Integer driverCores, String executorMemory, Integer executorCores,
                             Integer numExecutors, List<String> jars, List<String> pyFiles, List<String> files,
                             List<String> archives, String queue, String ttl, String idleTimeout,
                             Sharing sharing, Set<String> ownerGroups) {

    @JsonCreator
    public SessionRequest {
        sharing = sharing == null ? Sharing.NONE : sharing;
        ownerGroups = ownerGroups == null ? Set.of() : Set.copyOf(ownerGroups);
    }

    /** A request whose owner's groups are not known (yet): {@link #ownedBy} sets them. */
    public SessionRequest(Kind kind, String name, String owner, String proxyUser, Map<String, String> conf,
                          String driverMemory, Integer driverCores, String executorMemory, Integer executorCores,
                          Integer numExecutors, List<String> jars, List<String> pyFiles, List<String> files,
                          List<String> archives, String queue, String ttl, String idleTimeout, Sharing sharing) {
        this(kind, name, owner, proxyUser, conf, driverMemory, driverCores, executorMemory, executorCores, numExecutors,
                jars, pyFiles, files, archives, queue, ttl, idleTimeout, sharing, Set.of());
    }

    /** The same request, belonging to {@code owner} (whose groups are not known) and shared as {@code sharing}. */
    public SessionRequest ownedBy(String owner, Sharing sharing) {
        return ownedBy(owner, Set.of(), sharing);
    }

    /** The same request, belonging to {@code owner}, who is in {@code groups}, and shared as {@code sharing}. */
    public SessionRequest ownedBy(String owner, Set<String> groups, Sharing sharing) {
        return new SessionRequest(kind, name, owner, proxyUser, conf, driverMemory, driverCores, executorMemory,
                executorCores, numExecutors, jars, pyFiles, files, archives, queue, ttl, idleTimeout, sharing, groups);
    }

    public static SessionRequest of(Kind kind) {
        return new SessionRequest(kind, null, null, null, Map.of(), null, null, null, null, null, List.of(), List.of(),
                List.of(), List.of(), null, null, null, Sharing.NONE);
    }
}
