package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.kubernetes.KubernetesCluster;
import dev.sparkgate.gateway.kubernetes.RequiredPermission;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DownwardApiStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverCommandStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverImageStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverLabelsStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverLinkStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverPodSession;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverPodStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverPods;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverResourcesStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverSchedulingStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverServiceAccountStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.RuntimeCopyStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.SessionSecretStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.SessionSpecStep;
import dev.sparkgate.gateway.kubernetes.steps.DriverPodOwnershipStep;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorLabelsStep;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorNamesStep;
import dev.sparkgate.gateway.kubernetes.steps.NamespaceStep;
import dev.sparkgate.gateway.placement.DriverPlacement;
import dev.sparkgate.gateway.placement.ExecutorPlacement;
import dev.sparkgate.gateway.placement.FoundDriver;
import dev.sparkgate.gateway.placement.PlacedDriver;
import dev.sparkgate.gateway.placement.SessionIds;
import dev.sparkgate.gateway.placement.SessionOwner;
import dev.sparkgate.protocol.Json;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * Drivers in pods of their own (Kubernetes, teams): per session a Secret and a driver pod on the session's executor
 * image, with Sparkgate's runtime copied in, its own service account, the gateway's link address and the session's
 * secret as a file. User code then runs outside the gateway's pod and identity, and capacity grows with the cluster.
 * The pod is built by {@link DriverPodStep}s, one concern each; its executors are the cluster's business
 * ({@link KubernetesCluster}, whose executor confs make the driver pod their owner).
 *
 * <p>Driver pods outlive the gateway, and the API server is the store: each driver pod carries its session's record
 * ({@link #RECORD_ANNOTATION}), its Secret the session's secret, and a ConfigMap the next session id
 * ({@link ConfigMapSessionIds}). A restarted gateway of the same instance lists its driver pods
 * ({@link #findDrivers()}) and follows each existing pod again ({@link #reclaim}); nothing is created anew.
 */
public final class PodPlacement implements DriverPlacement {

    private static final Logger LOG = LoggerFactory.getLogger(PodPlacement.class);

    /** The driver pod's annotation holding its session's record, as the session core wrote it. */
    public static final String RECORD_ANNOTATION = "sparkgate.dev/session-record";

    /**
     * A pooled pod's link until a session takes it: it dials nowhere before that, and then the session's link, which
     * the claim gives (the pool may start before the gateway listens, when its own address is not known yet).
     */
    private static final URI UNCLAIMED_LINK = URI.create("ws://unclaimed.invalid/driver/pooled");

    /** Where a found driver runs: its pod, its Secret and the image the pod runs. */
    record Where(String namespace, String podName, String secretName, String image) {
    }

    private final KubernetesCluster cluster;
    private final DriverPodSettings settings;
    private final String defaultHeap;
    private final IntFunction<URI> ownAddress;
    private final List<DriverPodStep> steps;
    private final DriverPodWatch watch;
    private final SessionSecrets secrets;
    private final NamespaceReadiness readiness;
    private final PlacedNamespaces namespaces;
    private final PodPool pool;
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "driver-pod-cleanup");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param cluster     the cluster, connected for drivers in pods
     * @param settings    the operator's settings for driver pods
     * @param jvmOptions  Spark's Java 17 module openings for the driver JVM
     * @param mainClass   the driver program
     * @param homeLine    the Spark line of the runtime in the Sparkgate image's driver home (the others lie beside it)
     * @param defaultHeap the driver's heap when the session does not set {@code spark.driver.memory}
     * @param ownAddress  the gateway's own link address for session {@code id}, used where no {@code SPARKGATE_LINK_URL}
     *                    is set (right only where pods reach the gateway at it, as in the emulated cluster)
     * @param pool        driver pods kept warm ahead of sessions ({@link PodPool#none()} for none)
     */
    public PodPlacement(KubernetesCluster cluster, DriverPodSettings settings, List<String> jvmOptions, String mainClass,
                        String homeLine, String defaultHeap, IntFunction<URI> ownAddress, PodPool pool) {
        this.cluster = cluster;
        this.pool = pool;
        this.settings = settings;
        this.defaultHeap = defaultHeap;
        this.ownAddress = ownAddress;
        this.steps = steps(settings, jvmOptions, mainClass, homeLine, cluster.settings().instance());
        this.watch = new DriverPodWatch(cluster.client(), cluster.settings().instance());
        this.secrets = new SessionSecrets(cluster.client(), cluster.settings().instance());
        this.readiness = new NamespaceReadiness(cluster.client());
        this.namespaces = new PlacedNamespaces(cluster.client(), cluster.defaultNamespace(),
                cluster.settings().instance());
        watch.watch(cluster.defaultNamespace());
        if (settings.linkUrl() == null && cluster.settings().inPod()) {
            LOG.warn("SPARKGATE_LINK_URL is not set: driver pods will dial the gateway at its own address; set it to "
                    + "the Service drivers reach the gateway by (ws://sparkgate-link.<namespace>.svc:8998).");
        }
    }

    /** The driver pod's steps, in order; the downward API's variables come before the spec that refers to them. */
    static List<DriverPodStep> steps(DriverPodSettings settings, List<String> jvmOptions, String mainClass,
                                     String homeLine, String instance) {
        return List.of(
                new DriverImageStep(),
                new RuntimeCopyStep(settings.sparkgateImage(), homeLine),
                new DriverCommandStep(jvmOptions, mainClass),
                new DriverLabelsStep(instance),
                new DriverServiceAccountStep(settings.serviceAccount(), RequiredPermission.DRIVER),
                new DriverResourcesStep(),
                new DriverSchedulingStep(),
                new SessionSecretStep(),
                new DownwardApiStep(),
                new DriverLinkStep(settings.linkTimeouts()),
                new SessionSpecStep());
    }

    @Override
    public PlacedDriver place(int sessionId, Map<String, String> conf) {
        return place(sessionId, conf, new SessionOwner(null, Set.of()));
    }

    /**
     * Places the session where its owner or group belongs by the operator's templates (a refusal when there is no
     * such place, or its namespace is not ready), records that namespace for a restarted gateway, then places its
     * executors there. Nothing is created in the cluster before all of that passed.
     */
    @Override
    public PlacedDriver place(int sessionId, Map<String, String> conf, SessionOwner owner) {
        Map<String, String> placing = settings.templates().confFor(owner, conf);
        Map<String, String> placed = new LinkedHashMap<>(conf);
        placed.putAll(placing);
        settings.limits().check(placed, defaultHeap);
        if (settings.templates().any()) {
            readiness.require(NamespaceStep.namespaceFor(placed, cluster.defaultNamespace()),
                    placed.getOrDefault(PlacementTemplates.DRIVER_ACCOUNT_CONF, settings.serviceAccount()),
                    "of " + (owner.name() == null || owner.name().isBlank() ? "anonymous requests" : owner.name()));
        }
        namespaces.add(NamespaceStep.namespaceFor(placed, cluster.defaultNamespace()));
        ExecutorPlacement executors = cluster.place(sessionId, placed);
        String namespace = executors.image().orElseThrow().namespace();
        watch.watch(namespace);
        String image = settings.driverImage() != null ? settings.driverImage() : executors.image().orElseThrow().image();
        String instance = cluster.settings().instance();
        PodPool.Pooled pooled = pool.take(conf, placing, namespace, image).orElse(null);
        return new PodDriver(this, sessionId, namespace, DriverPodOwnershipStep.podName(instance, sessionId),
                ExecutorNamesStep.prefix(instance, sessionId) + "-secret", image, executors, placing, pooled);
    }

    /**
     * Keeps the pool's driver pods, when there is a pool: each placed as an anonymous session with the operator's
     * defaults would be (so a session placed the same way takes one), and started only while {@code room} says so.
     */
    @Override
    public void keepWarm(java.util.function.Predicate<Map<String, String>> room) {
        if (pool.wanted() == 0) {
            return;
        }
        Map<String, String> held = new LinkedHashMap<>(pool.sparkDefaults());
        try {
            held.putAll(settings.templates().confFor(new SessionOwner(null, Set.of()), pool.sparkDefaults()));
        } catch (RuntimeException noPlaceForAnonymous) {
            LOG.warn("warm pool: off, since the placement templates have no place for a session without an owner, "
                    + "where pooled driver pods would go: {}", noPlaceForAnonymous.getMessage());
            return;
        }
        pool.start(this, this::startPooled, held, room);
    }

    /** A pooled pod a session took but never launched: the pool's again, or deleted when the pool is full. */
    void giveBack(PodPool.Pooled pooled) {
        pool.giveBack(pooled);
    }

    @Override
    public List<Map<String, String>> pooled() {
        return pool.held();
    }

    /**
     * One pooled driver pod under {@code poolId}: built by the same steps as a session's, then marked pooled and told
     * to wait for its claim ({@code SPARKGATE_POOL_CLAIM_POD}), with Spark started without executors.
     */
    private PodPool.Pooled startPooled(int poolId) {
        Map<String, String> conf = pool.sparkDefaults();
        Map<String, String> placing = settings.templates().confFor(new SessionOwner(null, Set.of()), conf);
        Map<String, String> placed = new LinkedHashMap<>(conf);
        placed.putAll(placing);
        settings.limits().check(placed, defaultHeap);
        namespaces.add(NamespaceStep.namespaceFor(placed, cluster.defaultNamespace()));
        ExecutorPlacement executors = cluster.place(poolId, placed);
        String namespace = executors.image().orElseThrow().namespace();
        watch.watch(namespace);
        String image = settings.driverImage() != null ? settings.driverImage() : executors.image().orElseThrow().image();
        String instance = cluster.settings().instance();
        Map<String, String> driverConf = new LinkedHashMap<>(placed);
        driverConf.putAll(executors.sparkConf());
        driverConf.putAll(placing);
        // No executors until a session takes it: their confs name the pool id now, the session's then (the driver
        // sets them and asks for the session's number).
        driverConf.put("spark.executor.instances", "0");
        String podName = DriverPodOwnershipStep.podName(instance, poolId);
        String secretName = ExecutorNamesStep.prefix(instance, poolId) + "-secret";
        DriverPodSession session = new DriverPodSession(poolId, namespace, podName, secretName, image,
                PodDriver.podConf(driverConf, defaultHeap), PodDriver.specJson(pool.specOf(poolId, driverConf),
                defaultHeap), UNCLAIMED_LINK, null);
        Pod pod = new PodBuilder(podFor(session)).editMetadata().addToLabels(PodPool.POOLED_LABEL, "true")
                .endMetadata().build();
        pod = DriverPods.withDriver(pod, c -> c.addToEnv(DriverPods.env("SPARKGATE_POOL_CLAIM_POD", "true")));
        String secret = java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID();
        secrets.create(namespace, secretName, poolId, secret);
        try {
            Pod created = cluster.client().pods().inNamespace(namespace).resource(pod).create();
            secrets.ownBy(namespace, secretName, created);
        } catch (RuntimeException e) {
            secrets.delete(namespace, secretName);
            executors.release();
            throw e;
        }
        return new PodPool.Pooled(poolId, namespace, podName, secretName, secret, image, conf, placing, executors,
                placed);
    }

    @Override
    public SessionIds sessionIds() {
        return new ConfigMapSessionIds(cluster.client(), cluster.defaultNamespace(), cluster.settings().instance());
    }

    /**
     * This instance's driver pods that carry a session record, in every namespace it placed drivers in
     * ({@link PlacedNamespaces}, where the reaping looks too), with each session's secret from its Secret. A pod whose
     * Secret is gone gets a secret no one has: its driver cannot dial back, and its session ends at the recovery
     * timeout, its pod with it.
     */
    @Override
    public List<FoundDriver> findDrivers() {
        List<FoundDriver> found = new ArrayList<>();
        for (String namespace : namespaces.all()) {
            try {
                found.addAll(findDrivers(namespace));
            } catch (KubernetesClientException e) {
                LOG.error("could not look for this gateway's driver pods in namespace {}: {}; their sessions are not "
                        + "recovered (is the gateway still bound there?)", namespace, e.toString());
            }
        }
        return found;
    }

    private List<FoundDriver> findDrivers(String namespace) {
        String instance = cluster.settings().instance();
        Map<String, String> secretsBySession = secrets.bySession(namespace);
        List<FoundDriver> found = new ArrayList<>();
        for (Pod pod : cluster.client().pods().inNamespace(namespace)
                .withLabel(ExecutorLabelsStep.GATEWAY_LABEL, instance)
                .withLabel(DriverLabelsStep.ROLE_LABEL, "driver").list().getItems()) {
            Map<String, String> annotations = pod.getMetadata().getAnnotations();
            String record = annotations == null ? null : annotations.get(RECORD_ANNOTATION);
            String session = pod.getMetadata().getLabels().get(ExecutorLabelsStep.SESSION_LABEL);
            if (record == null || session == null || !session.matches("\\d+")) {
                continue; // not a session's driver this placement made: the reaping deletes it
            }
            int id = Integer.parseInt(session);
            String secret = secretsBySession.getOrDefault(session,
                    java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID());
            String image = DriverPods.driver(pod).getImage();
            // A pod a session took from the pool keeps its pool name and its Secret's: the one it mounts.
            String secretName = pod.getSpec().getVolumes().stream()
                    .filter(v -> v.getSecret() != null && SessionSecretStep.VOLUME.equals(v.getName()))
                    .map(v -> v.getSecret().getSecretName()).findFirst()
                    .orElse(ExecutorNamesStep.prefix(instance, id) + "-secret");
            found.add(new FoundDriver(id, record, secret, Json.write(new Where(namespace, pod.getMetadata().getName(),
                    secretName, image))));
        }
        return found;
    }

    @Override
    public PlacedDriver reclaim(FoundDriver found, Map<String, String> conf) {
        Where where = Json.read(found.where(), Where.class);
        watch.watch(where.namespace());
        return new PodDriver(this, found.sessionId(), where.namespace(), where.podName(), where.secretName(),
                where.image(), cluster.place(found.sessionId(), conf), Map.of(), null);
    }

    Pod podFor(DriverPodSession session) {
        Pod pod = DriverPods.base(session);
        for (DriverPodStep step : steps) {
            pod = step.configure(pod, session);
        }
        return pod;
    }

    URI linkFor(int sessionId) {
        return settings.linkUrl() == null ? ownAddress.apply(sessionId)
                : URI.create(settings.linkUrl().toString().replaceAll("/+$", "") + "/driver/" + sessionId);
    }

    String defaultHeap() {
        return defaultHeap;
    }

    KubernetesClient client() {
        return cluster.client();
    }

    DriverPodWatch watch() {
        return watch;
    }

    SessionSecrets secrets() {
        return secrets;
    }

    void background(Runnable task) {
        background.execute(task);
    }

    void deletePod(String namespace, String name, Duration grace) {
        try {
            cluster.client().pods().inNamespace(namespace).withName(name).withGracePeriod(grace.toSeconds()).delete();
        } catch (KubernetesClientException e) {
            LOG.warn("driver pod {}: could not delete it: {}", name, e.toString());
        }
    }

    /** The last lines a container of the pod printed, for the session's log; none when they cannot be read. */
    List<String> tailOfLog(String namespace, String name, String container, int lines) {
        try {
            String log = cluster.client().pods().inNamespace(namespace).withName(name).inContainer(container)
                    .tailingLines(lines).getLog();
            return log == null || log.isEmpty() ? List.of() : Arrays.asList(log.split("\n"));
        } catch (KubernetesClientException e) {
            return List.of();
        }
    }

    /** Deletes driver pods and Secrets of this gateway whose session is not among {@code liveSessions}, then executors. */
    @Override
    public void reapOrphans(Set<Integer> liveSessions) {
        for (String namespace : namespaces.all()) {
            reapOrphans(namespace, liveSessions);
        }
        cluster.reapOrphans(liveSessions);
    }

    private void reapOrphans(String namespace, Set<Integer> liveSessions) {
        try {
            for (Pod pod : cluster.client().pods().inNamespace(namespace)
                    .withLabel(ExecutorLabelsStep.GATEWAY_LABEL, cluster.settings().instance())
                    .withLabel(DriverLabelsStep.ROLE_LABEL, "driver").list().getItems()) {
                String session = pod.getMetadata().getLabels().get(ExecutorLabelsStep.SESSION_LABEL);
                if (pod.getMetadata().getLabels().containsKey(PodPool.POOLED_LABEL)) {
                    // Untaken, so no one's: a pool starts its own.
                    LOG.info("deleting pooled driver pod {}, which an earlier gateway left untaken",
                            pod.getMetadata().getName());
                    deletePod(namespace, pod.getMetadata().getName(), Duration.ZERO);
                } else if (session == null || !liveSessions.contains(Integer.parseInt(session))) {
                    LOG.info("reaping driver pod {} of session {}, which this gateway no longer runs",
                            pod.getMetadata().getName(), session);
                    deletePod(namespace, pod.getMetadata().getName(), Duration.ofSeconds(5));
                }
            }
            secrets.reapOrphans(namespace, liveSessions);
        } catch (KubernetesClientException e) {
            LOG.warn("could not look for orphaned driver pods in {}: {}", namespace, e.toString());
        }
    }

    @Override
    public void close() {
        pool.close();
        watch.close();
        background.shutdownNow();
        cluster.close();
    }
}
