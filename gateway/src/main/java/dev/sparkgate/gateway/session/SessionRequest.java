package dev.sparkgate.gateway.session;

import dev.sparkgate.protocol.Kind;

import java.util.List;
import java.util.Map;

/**
 * What a client asked for when creating a session, validated; Livy's fields, whichever API it came through.
 * {@code owner} is the user the session belongs to (the API family decides it from who asks), {@code sharing} who
 * else may see or drive it.
 */
public record SessionRequest(Kind kind, String name, String owner, String proxyUser, Map<String, String> conf,
                             String driverMemory, Integer driverCores, String executorMemory, Integer executorCores,
                             Integer numExecutors, List<String> jars, List<String> pyFiles, List<String> files,
                             List<String> archives, String queue, String ttl, String idleTimeout,
                             Sharing sharing) {

    public SessionRequest {
        sharing = sharing == null ? Sharing.NONE : sharing;
    }

    /** The same request, belonging to {@code owner} and shared as {@code sharing}. */
    public SessionRequest ownedBy(String owner, Sharing sharing) {
        return new SessionRequest(kind, name, owner, proxyUser, conf, driverMemory, driverCores, executorMemory,
                executorCores, numExecutors, jars, pyFiles, files, archives, queue, ttl, idleTimeout, sharing);
    }

    public static SessionRequest of(Kind kind) {
        return new SessionRequest(kind, null, null, null, Map.of(), null, null, null, null, null, List.of(), List.of(),
                List.of(), List.of(), null, null, null, Sharing.NONE);
    }
}
