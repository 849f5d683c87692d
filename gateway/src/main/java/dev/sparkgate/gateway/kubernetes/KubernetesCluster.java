package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.kubernetes.steps.ApiCredentialsStep;
import dev.sparkgate.gateway.kubernetes.steps.ClusterSession;
import dev.sparkgate.gateway.kubernetes.steps.DriverAddressStep;
import dev.sparkgate.gateway.kubernetes.steps.DriverPodOwnershipStep;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorConfStep;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorImageStep;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorLabelsStep;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorNamesStep;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorServiceAccountStep;
import dev.sparkgate.gateway.kubernetes.steps.MasterStep;
import dev.sparkgate.gateway.kubernetes.steps.NamespaceStep;
import dev.sparkgate.gateway.kubernetes.steps.OwnershipStep;
import dev.sparkgate.gateway.kubernetes.steps.PodDriverAddressStep;
import dev.sparkgate.gateway.kubernetes.steps.VolumeClaimsStep;
import dev.sparkgate.gateway.placement.ExecutorCluster;
import dev.sparkgate.gateway.placement.ExecutorPlacement;
import dev.sparkgate.protocol.SessionView.ExecutorView;
import dev.sparkgate.protocol.VersionVerdict.ImageSide;
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
public final class KubernetesCluster implements ExecutorCluster {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesCluster.class);

    private final KubernetesSettings settings;
    private final KubernetesClient client;
    private final String defaultNamespace;
    private final DriverPorts ports;
    private final PermissionPreflight preflight;
    private final ExecutorPods executors;
    private final ImageProbe probe;
    private final List<ExecutorConfStep> steps;
    private final List<RequiredPermission> permissions;
    /** Whether each session takes two ports of the range (drivers share an address) or uses fixed ones. */
    private final boolean portsPerSession;

    private KubernetesCluster(KubernetesSettings settings, KubernetesClient client, String defaultNamespace,
                              DriversIn drivers) {
        this.settings = settings;
        this.client = client;
        this.defaultNamespace = defaultNamespace;
        this.ports = new DriverPorts(settings.firstDriverPort(), settings.lastDriverPort());
        this.preflight = new PermissionPreflight(client);
        this.executors = new ExecutorPods(client, settings.instance());
        this.probe = new ImageProbe(client, settings.instance(), settings.executorServiceAccount(), settings.probeTimeout());
        String apiServerUrl = client.getConfiguration().getMasterUrl();
        this.steps = drivers.inPods ? podDriverSteps(settings, apiServerUrl, drivers.portsPerSession)
                : steps(settings, apiServerUrl);
        this.permissions = drivers.inPods ? RequiredPermission.GATEWAY_WITH_DRIVER_PODS : RequiredPermission.ALL;
        this.portsPerSession = !drivers.inPods || drivers.portsPerSession;
    }

    /**
     * Where sessions' drivers run, which decides what their executors' confs say: beside the gateway (local
     * processes), or in pods of their own ({@code inPods}), where {@code portsPerSession} says whether pods share one
     * address (the emulated cluster) and so need distinct ports.
     */
    public record DriversIn(boolean inPods, boolean portsPerSession) {
        public static final DriversIn LOCAL = new DriversIn(false, true);
    }

    /** The conf steps, one per concern, in the order their confs appear in a session's conf. */
    static List<ExecutorConfStep> steps(KubernetesSettings settings, String apiServerUrl) {
        return steps(settings, apiServerUrl,
                new DriverAddressStep(settings.driverHost(), settings.inPod()),
                new ApiCredentialsStep(settings.inPod(), settings.kubeconfig()),
                new OwnershipStep(settings.inPod() ? settings.podName() : null,
                        settings.inPod() ? KubernetesSettings.inClusterNamespace() : null));
    }

    /**
     * The executor conf steps when each driver runs in a pod of its own: the driver's pod IP and fixed ports (or the
     * session's, where pods share an address), executors owned by the driver pod, and the driver's own service
     * account's credentials (never the gateway's kubeconfig).
     */
    static List<ExecutorConfStep> podDriverSteps(KubernetesSettings settings, String apiServerUrl,
                                                 boolean portsPerSession) {
        return steps(settings, apiServerUrl, new PodDriverAddressStep(portsPerSession), new ApiCredentialsStep(true, null),
                new DriverPodOwnershipStep(settings.instance()));
    }

    /** The steps where the driver is ({@code address}), how it reaches the API server and who owns executors differ. */
    private static List<ExecutorConfStep> steps(KubernetesSettings settings, String apiServerUrl,
                                                ExecutorConfStep address, ExecutorConfStep credentials,
                                                ExecutorConfStep ownership) {
        return List.of(
                new MasterStep(apiServerUrl),
                new NamespaceStep(),
                new ExecutorImageStep(),
                new ExecutorLabelsStep(settings.instance()),
                new ExecutorNamesStep(settings.instance()),
                address,
                new VolumeClaimsStep(),
                credentials,
                ownership,
                new ExecutorServiceAccountStep(settings.executorServiceAccount()));
    }

    public static KubernetesCluster connect(KubernetesSettings settings) {
        return connect(settings, DriversIn.LOCAL);
    }

    public static KubernetesCluster connect(KubernetesSettings settings, DriversIn drivers) {
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
        KubernetesCluster cluster = new KubernetesCluster(settings, client, namespace, drivers);
        LOG.info("Kubernetes mode: API server {}, executors in namespace {}, this gateway's pods labelled {}={}",
                config.getMasterUrl(), namespace, ExecutorLabelsStep.GATEWAY_LABEL, settings.instance());
        if (!settings.inPod() && !drivers.inPods()) {
            LOG.warn("The gateway runs outside the cluster: executors must be able to reach the drivers at {} on ports "
                    + "{}-{}. Set SPARKGATE_DRIVER_HOST to an address pods can reach, or run the gateway in the cluster.",
                    settings.driverHost(), settings.firstDriverPort(), settings.lastDriverPort());
        }
        return cluster;
    }

    @Override
    public String defaultNamespace() {
        return defaultNamespace;
    }

    /**
     * Places a session's executors: checks the namespace's permissions, takes the driver's ports, and applies the
     * conf steps. {@code conf} is the session's conf so far (operator defaults and the user's).
     */
    @Override
    public ExecutorPlacement place(int sessionId, Map<String, String> conf) {
        String namespace = NamespaceStep.namespaceFor(conf, defaultNamespace);
        String image = ExecutorImageStep.imageFor(conf, settings.executorImage());
        preflight.require(namespace, permissions);
        executors.watch(namespace);
        DriverPorts.Pair pair = portsPerSession ? ports.take()
                : new DriverPorts.Pair(PodDriverAddressStep.FIXED_DRIVER_PORT, PodDriverAddressStep.FIXED_BLOCK_MANAGER_PORT);
        ClusterSession session = new ClusterSession(sessionId, namespace, image, pair.driverPort(),
                pair.blockManagerPort());
        Map<String, String> sparkConf = new LinkedHashMap<>();
        Map<String, String> driverEnvironment = new LinkedHashMap<>();
        for (ExecutorConfStep step : steps) {
            sparkConf.putAll(step.sparkConf(session));
            driverEnvironment.putAll(step.driverEnvironment(session));
        }
        return new KubernetesExecutors(this, session, pair, sparkConf, driverEnvironment);
    }

    /** Runs the image once to learn its Spark and Python (see {@link ImageProbe}). */
    @Override
    public ImageSide probeImage(String image, String namespace, List<String> pullSecrets) {
        preflight.require(namespace, permissions);
        return probe.probe(image, namespace, pullSecrets);
    }

    List<ExecutorView> executors(ClusterSession session) {
        return executors.of(session.namespace(), session.sessionId());
    }

    /** The session has ended: its executor pods go, its ports come back. */
    void release(ClusterSession session, DriverPorts.Pair pair) {
        try {
            executors.deleteSession(session.namespace(), session.sessionId());
        } catch (RuntimeException e) {
            LOG.warn("session {}: could not delete its executor pods in {}: {}", session.sessionId(),
                    session.namespace(), e.toString());
        }
        if (portsPerSession) {
            ports.release(pair);
        }
    }

    /** Deletes executor pods of this gateway that belong to none of {@code liveSessions}. */
    /** Readiness: one cheap, namespaced read (this gateway may list pods there; it may not read the API's version). */
    @Override
    public java.util.Optional<String> unavailable() {
        try {
            client.pods().inNamespace(defaultNamespace).withLabel("sparkgate.dev/readiness-probe").list();
            return java.util.Optional.empty();
        } catch (RuntimeException e) {
            return java.util.Optional.of("the Kubernetes API at " + client.getConfiguration().getMasterUrl()
                    + " is not reachable: " + e.getMessage());
        }
    }

    @Override
    public void reapOrphans(Set<Integer> liveSessions) {
        try {
            executors.reapOrphans(defaultNamespace, liveSessions);
        } catch (RuntimeException e) {
            LOG.warn("could not look for orphaned executor pods in {}: {}", defaultNamespace, e.toString());
        }
    }

    /** The client the gateway's own placement of driver pods uses: the gateway's account, never a driver's. */
    public KubernetesClient client() {
        return client;
    }

    public KubernetesSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        executors.close();
        client.close();
    }
}
