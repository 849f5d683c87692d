package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverPodSession;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverPods;
import dev.sparkgate.gateway.kubernetes.steps.PodDriverAddressStep;
import dev.sparkgate.gateway.placement.DriverLaunch;
import dev.sparkgate.gateway.placement.ExecutorImage;
import dev.sparkgate.gateway.placement.ExecutorPlacement;
import dev.sparkgate.gateway.placement.PlacedDriver;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverLabelsStep;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorLabelsStep;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.PoolClaim;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.SessionView.DriverPodView;
import dev.sparkgate.protocol.SessionView.ExecutorView;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One session's driver in a pod of its own: its Secret and pod created at launch, its pod watched, its end (however
 * it comes: an exit, a failure Kubernetes reports, a deletion by someone else, our stop) reported once with its cause,
 * and then nothing left behind: the pod, the Secret, and through the pod's owner references the executors.
 */
final class PodDriver implements PlacedDriver, DriverPodWatch.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(PodDriver.class);
    private static final int LOG_LINES_KEPT = 60;

    private final PodPlacement placement;
    private final int sessionId;
    private final String namespace;
    /** The pod's and its Secret's names: a pooled pod's until its take failed, then the session's own. */
    private volatile String podName;
    private volatile String secretName;
    /** The names a pod of the session's own has. */
    private final String coldPodName;
    private final String coldSecretName;
    private final String image;
    private final ExecutorPlacement executors;
    /** The confs that put this session where its user or group belongs ({@link PlacementTemplates}); may be none. */
    private final Map<String, String> placing;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CountDownLatch gone = new CountDownLatch(1);
    private volatile DriverLaunch launch;
    private volatile Pod latest;
    private volatile boolean stopping;
    /** The pooled pod this session took ({@link PodPool}), or null for a pod of its own. */
    private final PodPool.Pooled pooled;
    /** Whether {@link #pooled}'s executor placement (its driver ports) was released. */
    private final AtomicBoolean pooledReleased = new AtomicBoolean();

    /** {@code pooled}: a pod taken from the pool, which {@link #launch} makes the session's; null to create one. */
    PodDriver(PodPlacement placement, int sessionId, String namespace, String podName, String secretName, String image,
              ExecutorPlacement executors, Map<String, String> placing, PodPool.Pooled pooled) {
        this.placement = placement;
        this.pooled = pooled;
        this.placing = Map.copyOf(placing);
        this.sessionId = sessionId;
        this.namespace = namespace;
        this.coldPodName = podName;
        this.coldSecretName = secretName;
        this.podName = pooled == null ? podName : pooled.podName();
        this.secretName = pooled == null ? secretName : pooled.secretName();
        this.image = image;
        this.executors = executors;
    }

    /** A pooled pod's secret, made when the pool started it: the session's secret, as the pod already holds it. */
    @Override
    public Optional<String> secret() {
        return pooled == null ? Optional.empty() : Optional.of(pooled.secret());
    }

    @Override
    public Map<String, String> sparkConf() {
        Map<String, String> conf = new LinkedHashMap<>(executors.sparkConf());
        conf.putAll(placing);
        return conf;
    }

    @Override
    public Optional<ExecutorImage> executorImage() {
        return executors.image();
    }

    /** Creates the session's Secret, then its pod, then makes the pod the Secret's owner; unless already stopped. */
    @Override
    public void launch(DriverLaunch launch) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            this.launch = launch;
        }
        if (pooled != null && takePooled(launch)) {
            return;
        }
        DriverPodSession session = new DriverPodSession(sessionId, namespace, podName, secretName, image,
                podConf(launch.spec()), specJson(launch.spec()), placement.linkFor(sessionId), launch.spec().owner());
        placement.watch().listen(podName, this);
        placement.secrets().create(namespace, secretName, sessionId, launch.secret());
        Pod created;
        try {
            // The session's record goes with its pod, where a restarted gateway finds it (PodPlacement.findDrivers).
            Pod pod = new PodBuilder(placement.podFor(session)).editMetadata()
                    .addToAnnotations(PodPlacement.RECORD_ANNOTATION, launch.record()).endMetadata().build();
            created = placement.client().pods().inNamespace(namespace).resource(pod).create();
        } catch (RuntimeException e) {
            placement.watch().forget(podName);
            placement.secrets().delete(namespace, secretName);
            throw e;
        }
        placement.secrets().ownBy(namespace, secretName, created);
        if (stopping) {
            // Deleted while its pod was being made: stop's cleanup may have run before the pod existed.
            removeAll(Duration.ZERO);
            return;
        }
        launch.log().append("sparkgate: driver pod " + podName + " created in namespace " + namespace + " on image "
                + image);
        LOG.info("session {}: driver pod {} created in {}", sessionId, podName, namespace);
    }

    /**
     * Makes the pooled pod this session's: its labels and annotations say whose it is (so a restarted gateway recovers
     * it as this session), its Secret is labelled the session's, and the claim tells the waiting driver its session
     * (it then asks for the session's executors and dials back). False, with the pooled pod deleted, when it is gone
     * or cannot be written: the session then starts a pod of its own, with the same secret.
     */
    private boolean takePooled(DriverLaunch launch) {
        Pod taken;
        try {
            taken = placement.client().pods().inNamespace(namespace).withName(pooled.podName()).edit(pod -> {
                String ip = pod.getStatus() == null || pod.getStatus().getPodIP() == null ? "127.0.0.1"
                        : pod.getStatus().getPodIP();
                PodBuilder edited = new PodBuilder(pod).editMetadata()
                        .addToLabels(ExecutorLabelsStep.SESSION_LABEL, String.valueOf(sessionId))
                        .removeFromLabels(PodPool.POOLED_LABEL)
                        .addToAnnotations(PodPlacement.RECORD_ANNOTATION, launch.record())
                        .addToAnnotations(PodPool.CLAIM_ANNOTATION, Json.write(new PoolClaim(
                                placement.linkFor(sessionId).toString(), null, claimed(launch.spec(), ip))))
                        .endMetadata();
                String owner = launch.spec().owner();
                if (owner != null && !owner.isBlank()) {
                    edited.editMetadata().addToLabels(DriverLabelsStep.OWNER_LABEL, DriverLabelsStep.labelValue(owner))
                            .addToAnnotations(DriverLabelsStep.OWNER_LABEL, owner).endMetadata();
                }
                return edited.build();
            });
        } catch (RuntimeException e) {
            taken = null;
            LOG.warn("session {}: could not take pooled driver pod {} ({}); starting a pod of its own", sessionId,
                    pooled.podName(), e.toString());
        }
        if (taken == null || taken.getMetadata().getDeletionTimestamp() != null) {
            placement.deletePod(namespace, pooled.podName(), Duration.ZERO);
            placement.secrets().delete(namespace, pooled.secretName());
            releasePooled();
            podName = coldPodName;
            secretName = coldSecretName;
            return false;
        }
        placement.secrets().label(namespace, pooled.secretName(), sessionId);
        launch.log().append("sparkgate: took driver pod " + podName + " from the warm pool in namespace " + namespace
                + " on image " + image);
        LOG.info("session {}: took driver pod {} from the warm pool", sessionId, podName);
        // Followed from now; what happened to it since the edit is looked at once, as for a pod found after a restart.
        placement.watch().listen(podName, this);
        Pod now = placement.client().pods().inNamespace(namespace).withName(podName).get();
        if (now == null) {
            deleted(taken);
        } else {
            changed(now);
        }
        return true;
    }

    /**
     * Follows the pod an earlier gateway created, through the shared watch as a launched one: its current state at
     * once (a pod gone meanwhile ends the session now), then every change.
     */
    @Override
    public void reattach(DriverLaunch launch) {
        synchronized (this) {
            this.launch = launch;
        }
        placement.watch().listen(podName, this);
        Pod current = placement.client().pods().inNamespace(namespace).withName(podName).get();
        if (current == null) {
            terminated.countDown();
            gone.countDown();
            end("the driver pod " + podName + " was gone when this gateway started", DriverPodFailure.NEVER_RAN, null);
            return;
        }
        String phase = current.getStatus() == null ? null : current.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            // Its driver exited alone (past SPARKGATE_DRIVER_ORPHAN_TIMEOUT, or it failed): ending the session below
            // deletes the completed pod, and with it its Secret and anything else it owns.
            launch.log().append("sparkgate: the driver pod " + podName + " ended (" + phase
                    + ") while no gateway watched it");
        }
        changed(current);
        LOG.info("session {}: driver pod {} found in {} ({})", sessionId, podName, namespace, phase);
    }

    /** The heap the placement defaults to, so that the pod's resources and the JVM's heap agree. */
    private Map<String, String> podConf(SessionSpec spec) {
        return podConf(spec.sparkConf(), placement.defaultHeap());
    }

    static Map<String, String> podConf(Map<String, String> sparkConf, String defaultHeap) {
        Map<String, String> conf = new LinkedHashMap<>(sparkConf);
        conf.putIfAbsent("spark.driver.memory", defaultHeap);
        return conf;
    }

    /**
     * The spec as the pod's driver reads it: its Python is the image's (found on the image's PATH, with the image's
     * SPARK_HOME), and its address is the pod's, which Kubernetes fills in for {@code $(POD_IP)}. Every other
     * {@code $(} is escaped ({@code $$(}), so no conf of the user's is expanded.
     */
    private String specJson(SessionSpec spec) {
        return specJson(spec, placement.defaultHeap());
    }

    static String specJson(SessionSpec spec, String defaultHeap) {
        return Json.write(inPod(spec, defaultHeap)).replace("$(", "$$(")
                .replace("$" + PodDriverAddressStep.POD_IP_REFERENCE, PodDriverAddressStep.POD_IP_REFERENCE);
    }

    private static SessionSpec inPod(SessionSpec spec, String defaultHeap) {
        Map<String, String> conf = podConf(spec.sparkConf(), defaultHeap);
        SessionSpec.PythonSettings python = spec.python();
        return new SessionSpec(spec.id(), spec.name(), spec.kind(), spec.owner(), conf, spec.sqlRowCap(),
                new SessionSpec.PythonSettings("python3", null, python != null && python.allowWithoutPySpark()));
    }

    /**
     * The spec as a claim gives it to a pooled pod's driver: as in a pod's env, but with the pod's address filled in
     * here, since nothing expands an annotation.
     */
    private SessionSpec claimed(SessionSpec spec, String podIp) {
        SessionSpec inPod = inPod(spec, placement.defaultHeap());
        Map<String, String> conf = new LinkedHashMap<>();
        inPod.sparkConf().forEach((k, v) -> conf.put(k, v.replace(PodDriverAddressStep.POD_IP_REFERENCE, podIp)));
        return new SessionSpec(inPod.id(), inPod.name(), inPod.kind(), inPod.owner(), conf, inPod.sqlRowCap(),
                inPod.python());
    }

    @Override
    public void changed(Pod pod) {
        latest = pod;
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        Optional<DriverPodFailure> failure = DriverPodFailure.of(pod);
        if (failure.isPresent() || "Succeeded".equals(phase) || "Failed".equals(phase)) {
            terminated.countDown();
        }
        if (stopping) {
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            // Someone else is deleting it: that, not the SIGTERM exit which follows, is the cause to tell.
            end(deletedBySomeone(), DriverPodFailure.NEVER_RAN, DriverPods.DRIVER_CONTAINER);
        } else if (failure.isPresent()) {
            end(failure.get().cause(), failure.get().exitCode(), failure.get().container());
        } else if ("Succeeded".equals(phase)) {
            end(null, 0, DriverPods.DRIVER_CONTAINER);
        }
    }

    @Override
    public void deleted(Pod pod) {
        latest = pod;
        terminated.countDown();
        gone.countDown();
        if (!stopping) {
            end(deletedBySomeone(), DriverPodFailure.NEVER_RAN, DriverPods.DRIVER_CONTAINER);
        }
    }

    private String deletedBySomeone() {
        return "the driver pod " + podName + " was deleted, not by this gateway (kubectl delete, a node drain, "
                + "an operator). Start a new session.";
    }

    /** While the driver runs, its container's log, read from Kubernetes on demand: the gateway keeps no copy. */
    @Override
    public Optional<List<String>> outputNow(int lines) {
        if (launch == null || ended.get()) {
            return Optional.empty();
        }
        return Optional.of(placement.tailOfLog(namespace, podName, DriverPods.DRIVER_CONTAINER, lines));
    }

    /** The session's end, told once: the failed container's last output and the cause into its log, then the cleanup. */
    private void end(String cause, int exitCode, String container) {
        DriverLaunch told = launch;
        if (told == null || !ended.compareAndSet(false, true)) {
            return;
        }
        placement.background(() -> {
            if (cause != null) {
                LOG.warn("session {}: driver pod {} ended: {}", sessionId, podName, cause);
            }
            if (container != null) {
                placement.tailOfLog(namespace, podName, container, LOG_LINES_KEPT).forEach(told.log()::append);
            }
            if (cause != null) {
                told.log().append("sparkgate: " + cause);
            }
            told.onExit().accept(exitCode);
            removeAll(Duration.ZERO);
        });
    }

    /** Gives the driver {@code grace} to exit (it was asked over its link), then deletes its pod and Secret. */
    @Override
    public void stop(Duration grace) {
        synchronized (this) {
            stopping = true;
        }
        if (launch == null && pooled != null) {
            release(); // a pooled pod never handed over carries no one's identity: it goes back to the pool
            return;
        }
        if (launch != null) {
            await(terminated, grace);
        }
        removeAll(Duration.ofSeconds(2));
        if (launch != null && ended.compareAndSet(false, true)) {
            launch.onExit().accept(0);
        }
    }

    /** Deletes the pod (its executors follow it, owned by it) and the Secret; waits up to 15 s for the pod to go. */
    private void removeAll(Duration podGrace) {
        placement.deletePod(namespace, podName, podGrace);
        placement.secrets().delete(namespace, secretName);
        if (launch != null && !await(gone, Duration.ofSeconds(15))) {
            LOG.warn("session {}: driver pod {} still there 15 s after its deletion", sessionId, podName);
        }
        placement.watch().forget(podName);
        release();
    }

    private static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public List<ExecutorView> executors() {
        return executors.executors();
    }

    @Override
    public Optional<DriverPodView> driverPod() {
        Pod pod = latest;
        if (launch == null) {
            return Optional.empty();
        }
        if (pod == null) {
            return Optional.of(new DriverPodView(podName, null, "Pending"));
        }
        return Optional.of(new DriverPodView(podName, pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
                gone.getCount() == 0 ? "Deleted" : DriverPodFailure.state(pod)));
    }

    private void releasePooled() {
        if (pooled != null && pooledReleased.compareAndSet(false, true)) {
            pooled.executors().release();
        }
    }

    @Override
    public void release() {
        if (released.compareAndSet(false, true)) {
            executors.release();
            if (pooled != null && launch == null) {
                // Taken but never launched (the session was refused, or deleted while waiting to start).
                placement.giveBack(pooled);
            } else {
                releasePooled();
            }
        }
    }
}
