package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.session.Durations;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the gateway reaches its cluster and places drivers, from the environment. Kubernetes mode is on in a pod (the
 * in-cluster service account) or with a kubeconfig ({@code KUBECONFIG} or {@code SPARKGATE_KUBECONFIG});
 * {@code SPARKGATE_KUBERNETES=on|off} forces it.
 *
 * @param kubeconfig      the kubeconfig file, or null in a pod
 * @param namespace       where executors run, or null for the kubeconfig's or service account's namespace
 * @param driverHost      the address executors dial back to
 * @param inPod           whether the gateway runs in a pod (then drivers bind to all interfaces)
 * @param podName         the gateway's pod, which becomes the executors' owner
 * @param instance        this gateway's name on the executor pods it is responsible for
 * @param firstDriverPort the first of the ports drivers take, two per session
 * @param lastDriverPort  the last of them
 * @param probeTimeout    how long a probe pod may take to tell an image's versions
 */
public record KubernetesSettings(boolean enabled, Path kubeconfig, String namespace, String executorImage,
                                 String executorServiceAccount, String driverHost, boolean inPod, String podName,
                                 String instance, int firstDriverPort, int lastDriverPort, Duration probeTimeout) {

    public static final String IN_CLUSTER_NAMESPACE_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    public static KubernetesSettings fromEnvironment(Map<String, String> env) {
        boolean inPod = env.containsKey("KUBERNETES_SERVICE_HOST");
        String kubeconfigText = env.getOrDefault("SPARKGATE_KUBECONFIG", env.get("KUBECONFIG"));
        Path kubeconfig = kubeconfigText == null || kubeconfigText.isBlank() ? null : Path.of(kubeconfigText.split(":")[0]);
        String mode = env.getOrDefault("SPARKGATE_KUBERNETES", "auto");
        boolean enabled = switch (mode) {
            case "on" -> true;
            case "off" -> false;
            case "auto" -> inPod || kubeconfig != null;
            default -> throw new IllegalArgumentException(
                    "SPARKGATE_KUBERNETES is '" + mode + "': use auto, on or off.");
        };
        String podName = env.get("POD_NAME");
        String driverHost = env.getOrDefault("SPARKGATE_DRIVER_HOST", env.get("POD_IP"));
        if (driverHost == null) {
            driverHost = localAddress();
        }
        String[] ports = env.getOrDefault("SPARKGATE_DRIVER_PORTS", "40000-40199").split("-");
        if (ports.length != 2) {
            throw new IllegalArgumentException("SPARKGATE_DRIVER_PORTS must be a range like 40000-40199.");
        }
        return new KubernetesSettings(enabled, kubeconfig, env.get("SPARKGATE_NAMESPACE"),
                env.get("SPARKGATE_EXECUTOR_IMAGE"), env.get("SPARKGATE_EXECUTOR_SERVICE_ACCOUNT"), driverHost, inPod,
                podName, env.getOrDefault("SPARKGATE_INSTANCE", podName != null ? podName : hostName()),
                Integer.parseInt(ports[0].trim()), Integer.parseInt(ports[1].trim()),
                Durations.parse(env.getOrDefault("SPARKGATE_PROBE_TIMEOUT", "120s"), "SPARKGATE_PROBE_TIMEOUT"));
    }

    public static KubernetesSettings disabled() {
        return new KubernetesSettings(false, null, null, null, null, null, false, null, null, 0, -1, Duration.ZERO);
    }

    /** The namespace of the service account the gateway runs as, when it runs in a pod. */
    static String inClusterNamespace() {
        try {
            return Files.readString(Path.of(IN_CLUSTER_NAMESPACE_FILE)).trim();
        } catch (Exception e) {
            return null;
        }
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase().replaceAll("[^a-z0-9.-]", "-");
        } catch (UnknownHostException e) {
            return "sparkgate";
        }
    }
}
