package dev.sparkgate.gateway.kubernetes;

import java.util.List;

/**
 * What a service account must be allowed to do in a session namespace, and why. With drivers beside the gateway,
 * the gateway's account does everything ({@link #ALL}); with drivers in pods of their own, the gateway's account only
 * manages driver pods and their Secrets ({@link #GATEWAY_WITH_DRIVER_PODS}) and each driver's account only its
 * executors ({@link #DRIVER}). The permission preflight asks for exactly these, and the RBAC Roles in {@code deploy/}
 * grant exactly these.
 */
public record RequiredPermission(String group, String resource, String subresource, String verb, String why) {

    public static final List<RequiredPermission> ALL = List.of(
            pods("create", "Spark's allocator creates executor pods; the version check creates probe pods"),
            pods("get", "Spark reads the pods it created; the version check reads its probe pod's status"),
            pods("list", "Spark and the gateway find a session's executors by label"),
            pods("watch", "Spark watches its executors' state; the gateway shows executors in the session view"),
            pods("delete", "Spark removes failed and idle executors; the gateway removes probe pods"),
            pods("deletecollection", "a session's executors and the gateway's orphans are deleted by label"),
            new RequiredPermission("", "pods", "log", "get", "the version check reads what its probe pod printed"),
            configMaps("create", "Spark ships the executors' configuration in a config map"),
            configMaps("deletecollection", "Spark deletes its config map by label when the session stops"),
            // Client mode creates no service (executors dial the driver's own address), but Spark's stop deletes
            // the services labelled with its application; without this verb it logs a failure at every stop.
            new RequiredPermission("", "services", "", "deletecollection",
                    "Spark's stop deletes services labelled with its application (client mode creates none)"));

    /** What a driver's own account needs in its namespace: Spark's driver managing its executors, nothing more. */
    public static final List<RequiredPermission> DRIVER = List.of(
            pods("create", "Spark's allocator creates executor pods"),
            pods("get", "Spark reads its executor pods and its own driver pod, the executors' owner"),
            pods("list", "Spark finds its executors by label"),
            pods("watch", "Spark watches its executors' state"),
            pods("delete", "Spark removes failed and idle executors"),
            pods("deletecollection", "Spark deletes its executors by label when it stops"),
            configMaps("create", "Spark ships the executors' configuration in a config map"),
            configMaps("deletecollection", "Spark deletes its config map by label when the session stops"),
            new RequiredPermission("", "services", "", "deletecollection",
                    "Spark's stop deletes services labelled with its application (client mode creates none)"));

    /** What the gateway's account needs when drivers run in pods of their own. */
    public static final List<RequiredPermission> GATEWAY_WITH_DRIVER_PODS = List.of(
            pods("create", "the gateway creates each session's driver pod; the version check creates probe pods"),
            pods("get", "the gateway reads a driver pod's and a probe pod's status"),
            pods("list", "the gateway finds its driver and executor pods by label"),
            pods("watch", "the gateway watches driver pods to tell a session's failure at once, and shows executors"),
            pods("delete", "the gateway deletes a session's driver pod, and probe pods"),
            pods("deletecollection", "the gateway deletes a session's pods, and the orphans no session owns, by label"),
            new RequiredPermission("", "pods", "log", "get", "the version check and the session log read pods' output"),
            secrets("create", "each session's secret reaches its driver pod in a Secret"),
            secrets("patch", "a session's Secret is made owned by its driver pod, so it goes with it"),
            secrets("delete", "a session's Secret is deleted with its session"),
            secrets("deletecollection", "the gateway reaps Secrets of sessions it no longer runs, by label"),
            new RequiredPermission("", "secrets", "", "list",
                    "the gateway finds Secrets no session owns, and after a restart each found session's secret"),
            configMaps("get", "the gateway reads the next session id, kept in a ConfigMap so ids outlive it"),
            configMaps("create", "the gateway creates that ConfigMap on its first session"),
            configMaps("update", "the gateway takes each new session id, as an update against the version it read"),
            new RequiredPermission("", "serviceaccounts", "", "get",
                    "the gateway checks a session's namespace holds its drivers' account before creating anything there"));

    private static RequiredPermission secrets(String verb, String why) {
        return new RequiredPermission("", "secrets", "", verb, why);
    }

    private static RequiredPermission pods(String verb, String why) {
        return new RequiredPermission("", "pods", "", verb, why);
    }

    private static RequiredPermission configMaps(String verb, String why) {
        return new RequiredPermission("", "configmaps", "", verb, why);
    }

    /** How RBAC names it: {@code pods}, {@code pods/log}. */
    public String resourceName() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
}
