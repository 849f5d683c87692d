package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** A session whose driver goes in a pod, as the driver pod steps see it, for specifying them. */
final class PodSessions {

    private PodSessions() {
    }

    /** Session 7 in namespace "spark-jobs" on image "spark:3.5.6", with only {@code conf} set. */
    static DriverPodSession with(Map<String, String> conf) {
        return new DriverPodSession(7, "spark-jobs", "sg-gw-s7-driver", "sg-gw-s7-secret", "spark:3.5.6",
                new LinkedHashMap<>(conf), "{\"id\":7,\"sparkConf\":{\"spark.driver.host\":\"$(POD_IP)\"}}",
                URI.create("ws://sparkgate-link.sparkgate.svc:8998/driver/7"), null);
    }

    /** Session 7 of {@code owner}. */
    static DriverPodSession ownedBy(String owner) {
        DriverPodSession one = one();
        return new DriverPodSession(one.sessionId(), one.namespace(), one.podName(), one.secretName(), one.image(),
                one.sparkConf(), one.specJson(), one.link(), owner);
    }

    static DriverPodSession one() {
        return with(Map.of());
    }

    /** The base pod with {@code step} applied. */
    static Pod apply(DriverPodStep step, DriverPodSession session) {
        return step.configure(DriverPods.base(session), session);
    }

    static Container driver(Pod pod) {
        return DriverPods.driver(pod);
    }

    /** The driver container's env as name to value (or to the field a downward-API variable reads). */
    static Map<String, String> env(Pod pod) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : driver(pod).getEnv()) {
            env.put(var.getName(), var.getValueFrom() != null ? "field:" + var.getValueFrom().getFieldRef().getFieldPath()
                    : var.getValue());
        }
        return env;
    }
}
