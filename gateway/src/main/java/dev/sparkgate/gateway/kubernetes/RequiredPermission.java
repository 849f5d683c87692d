package dev.sparkgate.gateway.kubernetes;

import java.util.List;

/**
 * What the gateway's service account must be allowed to do in a session namespace, and why. The permission
 * preflight asks for exactly these, and the RBAC Role in {@code deploy/} grants exactly these.
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
