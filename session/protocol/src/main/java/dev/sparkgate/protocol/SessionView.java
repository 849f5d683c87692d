package dev.sparkgate.protocol;

import java.util.List;
import java.util.Map;

/**
 * A session as clients see it. Its JSON is Livy's session object (every field sparkmagic and Zeppelin read)
 * plus Sparkgate's own additions; the REST API and the stream both send exactly this.
 */
public record SessionView(int id, String name, String appId, String owner, String proxyUser, SessionState state, String kind,
                          AppInfo appInfo, List<String> log, Map<String, String> conf, String driverMemory,
                          Integer driverCores, String executorMemory, Integer executorCores, Integer numExecutors,
                          String ttl, String idleTimeout, long createdAt, DriverInfo driver,
                          List<ExecutorView> executors, VersionVerdict versions, DriverPodView driverPod,
                          SharingView sharing) {

    /** The same session with other {@code appInfo}: an API family may give its addresses absolute. */
    public SessionView withAppInfo(AppInfo other) {
        return new SessionView(id, name, appId, owner, proxyUser, state, kind, other, log, conf, driverMemory,
                driverCores, executorMemory, executorCores, numExecutors, ttl, idleTimeout, createdAt, driver,
                executors, versions, driverPod, sharing);
    }

    /**
     * Who besides its owner may see the session ({@code view*}) or also drive and delete it ({@code modify*}), as
     * its creator shared it; empty lists when it is not shared. Shown to whoever may see the session.
     */
    public record SharingView(List<String> viewUsers, List<String> viewGroups, List<String> modifyUsers,
                              List<String> modifyGroups) {
    }

    /** One executor pod of the session (Kubernetes mode): its name, phase and address. */
    public record ExecutorView(String name, String state, String podIP) {
    }

    /**
     * The pod the session's driver runs in, when drivers run in pods of their own (null when the driver is a process
     * beside the gateway): its name, the node it was scheduled on (null until it is), and its state as Kubernetes
     * tells it ({@code Pending}, {@code Running}, or the reason it is not: {@code ImagePullBackOff}, {@code OOMKilled}).
     */
    public record DriverPodView(String name, String node, String state) {
    }

    /**
     * Where the driver's log and Spark UI are; Livy clients expect both keys to be present. Every value is a string,
     * as in Livy: Zeppelin reads {@code appInfo} as a map of strings and fails on anything else.
     * {@code executorLogUrls} is Livy's {@code "executor#url;executor#url"}, or null.
     */
    public record AppInfo(String driverLogUrl, String sparkUiUrl, String executorLogUrls) {
    }
}
