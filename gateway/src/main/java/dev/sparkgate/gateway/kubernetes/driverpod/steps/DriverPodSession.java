package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import java.net.URI;
import java.util.Map;

/**
 * What the driver pod steps know of one session whose driver runs in a pod of its own.
 *
 * @param sessionId  the session
 * @param namespace  where its driver pod (and its executors) run
 * @param podName    the driver pod's name, which executors name as their owner
 * @param secretName the Secret holding the session's secret, mounted into the pod as a file
 * @param image      the image the driver runs: the session's executor image, unless the operator names another
 * @param sparkConf  the session's Spark confs as the driver will run them (operator defaults, the user's, the
 *                   placement's)
 * @param specJson   the session's spec as the driver reads it, with {@code $(POD_IP)} where its address goes
 * @param link       where the driver dials the gateway back: its in-cluster address and the session's path
 * @param owner      the user the session belongs to, or null
 */
public record DriverPodSession(int sessionId, String namespace, String podName, String secretName, String image,
                               Map<String, String> sparkConf, String specJson, URI link, String owner) {

    /** A Spark conf of the session, or {@code fallback}. */
    public String conf(String key, String fallback) {
        String value = sparkConf.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The confs under {@code prefix}, with the prefix taken off their keys. */
    public Map<String, String> confsUnder(String prefix) {
        Map<String, String> found = new java.util.LinkedHashMap<>();
        sparkConf.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                found.put(key.substring(prefix.length()), value);
            }
        });
        return found;
    }
}
