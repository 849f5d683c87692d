package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.ApiError;
import dev.sparkgate.protocol.SessionView.ExecutorView;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's cluster: it places each session's executors (namespace, image, labels, the driver's reachable
 * address and ports), checks permissions before the first session in a namespace, shows a session's executor pods,
 * and deletes them when the session ends.
 */
public final class KubernetesCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesCluster.class);
    private static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount/";

    private final KubernetesSettings settings;
    private final KubernetesClient client;
    private final String defaultNamespace;
    private final DriverPorts ports;
    private final PermissionPreflight preflight;
    private final ExecutorPods executors;
    private final ImageProbe probe;

    private KubernetesCluster(KubernetesSettings settings, KubernetesClient client, String defaultNamespace) {
        this.settings = settings;
        this.client = client;
        this.defaultNamespace = defaultNamespace;
        this.ports = new DriverPorts(settings.firstDriverPort(), settings.lastDriverPort());
        this.preflight = new PermissionPreflight(client);
        this.executors = new ExecutorPods(client, settings.instance());
        this.probe = new ImageProbe(client, settings.instance(), settings.executorServiceAccount(), settings.probeTimeout());
    }

    public static KubernetesCluster connect(KubernetesSettings settings) {
        Config config;
        if (settings.kubeconfig() != null) {
            try {
                config = Config.fromKubeconfig(Files.readString(settings.kubeconfig()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the kubeconfig " + settings.kubeconfig(), e);
            }
        } else {
            config = Config.autoConfigure(null);
        }
        String namespace = settings.namespace() != null ? settings.namespace()
                : settings.inPod() && KubernetesSettings.inClusterNamespace() != null
                ? KubernetesSettings.inClusterNamespace()
                : config.getNamespace() != null ? config.getNamespace() : "default";
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        KubernetesCluster cluster = new KubernetesCluster(settings, client, namespace);
        LOG.info("Kubernetes mode: API server {}, executors in namespace {}, this gateway's pods labelled {}={}",
                config.getMasterUrl(), namespace, ExecutorPods.GATEWAY_LABEL, settings.instance());
        if (!settings.inPod()) {
            LOG.warn("The gateway runs outside the cluster: executors must be able to reach the drivers at {} on ports "
                    + "{}-{}. Set SPARKGATE_DRIVER_HOST to an address pods can reach, or run the gateway in the cluster.",
                    settings.driverHost(), settings.firstDriverPort(), settings.lastDriverPort());
        }
        return cluster;
    }

    /** Where sessions run unless they say otherwise. */
    public String defaultNamespace() {
        return defaultNamespace;
    }

    public String masterUrl() {
        String url = client.getConfiguration().getMasterUrl().replaceAll("/+$", "");
        return "k8s://" + url;
    }

    /**
     * Places a session: checks the namespace's permissions, takes the driver's ports and returns the confs that put
     * its executors on the cluster. {@code conf} is the session's conf so far (operator defaults and the user's).
     */
    public Placement place(int sessionId, Map<String, String> conf) {
        String namespace = conf.getOrDefault("spark.kubernetes.namespace", defaultNamespace);
        String image = conf.getOrDefault("spark.kubernetes.container.image", settings.executorImage());
        if (image == null || image.isBlank()) {
            throw ApiError.badRequest("No executor image: set conf 'spark.kubernetes.container.image' on the session, "
                    + "or ask the operator for a default (SPARKGATE_EXECUTOR_IMAGE).");
        }
        preflight.require(namespace);
        executors.watch(namespace);
        DriverPorts.Pair pair = ports.take();

        Map<String, String> placed = new LinkedHashMap<>();
        placed.put("spark.master", masterUrl());
        placed.put("spark.submit.deployMode", "client");
        placed.put("spark.kubernetes.namespace", namespace);
        placed.put("spark.kubernetes.container.image", image);
        executors.labels(sessionId).forEach((k, v) -> placed.put("spark.kubernetes.executor.label." + k, v));
        placed.put("spark.kubernetes.executor.podNamePrefix", podNamePrefix(sessionId));
        placed.put("spark.driver.host", settings.driverHost());
        placed.put("spark.driver.bindAddress", settings.inPod() ? "0.0.0.0" : settings.driverHost());
        placed.put("spark.driver.port", String.valueOf(pair.driverPort()));
        placed.put("spark.blockManager.port", String.valueOf(pair.blockManagerPort()));
        placed.put("spark.driver.blockManager.port", String.valueOf(pair.blockManagerPort()));
        // Spark 3.5 defaults these to true: it would then list and delete persistent volume claims, which sessions
        // do not use and the gateway's Role does not grant.
        placed.put("spark.kubernetes.driver.ownPersistentVolumeClaim", "false");
        placed.put("spark.kubernetes.driver.reusePersistentVolumeClaim", "false");
        if (settings.inPod()) {
            // Client mode reads credentials under spark.kubernetes.authenticate.*, without the driver. prefix.
            placed.put("spark.kubernetes.authenticate.caCertFile", SERVICE_ACCOUNT_DIR + "ca.crt");
            placed.put("spark.kubernetes.authenticate.oauthTokenFile", SERVICE_ACCOUNT_DIR + "token");
            // Executors owned by the gateway pod go with it; but an owner in another namespace makes Kubernetes
            // delete them at once, so across namespaces they have none (the gateway still deletes them by label).
            if (settings.podName() != null && namespace.equals(KubernetesSettings.inClusterNamespace())) {
                placed.put("spark.kubernetes.driver.pod.name", settings.podName());
            }
        }
        if (settings.executorServiceAccount() != null) {
            placed.put("spark.kubernetes.authenticate.executor.serviceAccountName", settings.executorServiceAccount());
        }
        Map<String, String> env = settings.kubeconfig() == null ? Map.of()
                : Map.of("KUBECONFIG", settings.kubeconfig().toAbsolutePath().toString());
        return new Placement(sessionId, namespace, pair, placed, env);
    }

    /** Pod names must be DNS labels: the gateway's instance, shortened, and the session. */
    private String podNamePrefix(int sessionId) {
        String instance = settings.instance().toLowerCase().replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (instance.length() > 24) {
            instance = instance.substring(0, 24).replaceAll("-+$", "");
        }
        return "sg-" + instance + "-s" + sessionId;
    }

    /** Runs the image once to learn its Spark and Python (see {@link ImageProbe}). */
    public dev.sparkgate.protocol.VersionVerdict.ImageSide probeImage(String image, String namespace,
                                                                       List<String> pullSecrets) {
        preflight.require(namespace);
        return probe.probe(image, namespace, pullSecrets);
    }

    public List<ExecutorView> executors(Placement placement) {
        return executors.of(placement.namespace(), placement.sessionId());
    }

    /** The session has ended: its executor pods go, its ports come back. */
    public void release(Placement placement) {
        try {
            executors.deleteSession(placement.namespace(), placement.sessionId());
        } catch (RuntimeException e) {
            LOG.warn("session {}: could not delete its executor pods in {}: {}", placement.sessionId(),
                    placement.namespace(), e.toString());
        }
        ports.release(placement.ports());
    }

    /** Deletes executor pods of this gateway that belong to none of {@code liveSessions}. */
    public void reapOrphans(Set<Integer> liveSessions) {
        try {
            executors.reapOrphans(defaultNamespace, liveSessions);
        } catch (RuntimeException e) {
            LOG.warn("could not look for orphaned executor pods in {}: {}", defaultNamespace, e.toString());
        }
    }

    @Override
    public void close() {
        executors.close();
        client.close();
    }
}
