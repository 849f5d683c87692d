package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverPods;
import dev.sparkgate.gateway.placement.ExecutorPlacement;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import io.fabric8.kubernetes.api.model.Pod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Driver pods started and warmed before anyone asks, with pod placement ({@code SPARKGATE_WARM_SESSIONS=N}): N pods
 * of the default executor image in the default placement's namespace, each a driver in pooled mode with the
 * operator's Spark defaults and no executors, refilled in the background one at a time. A session placed exactly
 * where and as a pooled pod is (same namespace, service account, image and start confs) takes one ({@link #take});
 * the gateway then writes the session onto the pod ({@link PodDriver}), and the driver asks for the session's
 * executors. Any other session starts cold.
 *
 * <p>Each pooled pod is made as a session's would be, under a pool id no session has (from {@value #FIRST_POOL_ID}
 * up): its name, its Secret and its executor confs name that id, and it carries {@value #POOLED_LABEL} and no session
 * record, so a restarted gateway never recovers it as a session: the reaping of pods no session owns deletes it.
 * Its Secret holds a secret made for the pod, which becomes the session's secret when a session takes it.
 */
public final class PodPool implements AutoCloseable, DriverPodWatch.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(PodPool.class);
    /** On a pooled pod, until a session takes it. */
    static final String POOLED_LABEL = "sparkgate.dev/pooled";
    /** The claim the gateway writes on a pooled pod when a session takes it (the driver's {@code PodClaims}). */
    static final String CLAIM_ANNOTATION = "sparkgate.dev/pool-claim";
    /** Pool ids start here: far above any session id a gateway hands out, so a pool pod never names a session. */
    static final int FIRST_POOL_ID = 2_000_000_000;
    /** After a pooled pod ended before it was warm (it cannot start, say), how long before the pool tries again. */
    private static final long RETRY_AFTER_FAILURE_MILLIS = 30_000;
    /** How long the refill waits for one pod to be warm before it starts the next anyway. */
    private static final long WARM_WAIT_MILLIS = 300_000;
    /**
     * What the driver logs once Scala's compiler is warm ({@code Interpreters}). Its "warm" line of all warm-ups comes
     * only after the pod was taken: the SQL warm-up runs a Spark job, which waits for the session's executors.
     */
    static final String WARM_LINE = "The Scala warm-up took";
    private static final PodPool NONE = new PodPool(0, Map.of(), 0, null);

    /**
     * One pooled pod.
     *
     * @param conf      the confs a session must have, as placement got them (operator defaults, the user's), to take it
     * @param placing   the confs of its place (namespace, service account) by the operator's templates
     * @param executors its executor placement under its pool id (its driver ports among it), released with the pod
     * @param heldConf  what it holds of the gateway's capacity, as a session of these confs would
     */
    record Pooled(int poolId, String namespace, String podName, String secretName, String secret, String image,
                  Map<String, String> conf, Map<String, String> placing, ExecutorPlacement executors,
                  Map<String, String> heldConf) {
    }

    /** Makes one pooled pod, or fails; given a pool id. */
    interface Maker {
        Pooled make(int poolId);
    }

    private final int size;
    private final Map<String, String> sparkDefaults;
    private final int sqlRowCap;
    private final SessionSpec.PythonSettings python;
    private final List<Pooled> pods = new ArrayList<>();
    private final List<String> warm = new ArrayList<>();
    private int nextPoolId = FIRST_POOL_ID + ThreadLocalRandom.current().nextInt(100_000_000);
    private long retryAt;
    private Maker maker;
    private PodPlacement placement;
    private Predicate<Map<String, String>> room;
    private Map<String, String> heldConf;
    private Thread refill;
    private boolean closed;

    /**
     * {@code size}: pods kept; {@code sparkDefaults}, {@code sqlRowCap}, {@code python}: what every session starts
     * from, so what a pooled pod starts with.
     */
    public PodPool(int size, Map<String, String> sparkDefaults, int sqlRowCap, SessionSpec.PythonSettings python) {
        this.size = size;
        this.sparkDefaults = Map.copyOf(sparkDefaults);
        this.sqlRowCap = sqlRowCap;
        this.python = python;
    }

    /** No pool: every session starts cold. */
    public static PodPool none() {
        return NONE;
    }

    /**
     * {@code SPARKGATE_WARM_SESSIONS} with pod placement: a number of pods of the default executor image (the Spark
     * line is the image's, known only once a version check probed it, so per-line sizes are for local placement).
     */
    public static int size(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("SPARKGATE_WARM_SESSIONS is '" + text + "': with pod placement, give the "
                + "number of warm driver pods of the default executor image (e.g. 1); 0 or empty for none.");
    }

    /** How many pods it keeps (0: no pool). */
    int wanted() {
        return size;
    }

    /** The operator's Spark defaults: a session must start with exactly these to take a pooled pod. */
    Map<String, String> sparkDefaults() {
        return sparkDefaults;
    }

    /** The pooled driver's spec under {@code poolId}: no owner, every kind, the confs it starts Spark with. */
    SessionSpec specOf(int poolId, Map<String, String> conf) {
        return new SessionSpec(poolId, "pool", Kind.shared, null, conf, sqlRowCap, python);
    }

    /** Starts keeping {@link #size} pods; {@code room} says whether the gateway could hold one of these confs. */
    synchronized void start(PodPlacement placement, Maker maker, Map<String, String> heldConf,
                            Predicate<Map<String, String>> room) {
        if (size == 0 || refill != null) {
            return;
        }
        this.placement = placement;
        this.maker = maker;
        this.heldConf = heldConf;
        this.room = room;
        refill = new Thread(this::refillLoop, "pod-pool");
        refill.setDaemon(true);
        refill.start();
    }

    /** A pooled pod for a session of {@code conf} placed by {@code placing} in {@code namespace} on {@code image}. */
    synchronized Optional<Pooled> take(Map<String, String> conf, Map<String, String> placing, String namespace,
                                       String image) {
        Optional<Pooled> match = pods.stream()
                .filter(p -> startConf(p.conf()).equals(startConf(conf)) && p.placing().equals(placing)
                        && p.namespace().equals(namespace) && p.image().equals(image))
                .min(Comparator.comparing(p -> !warm.contains(p.podName())));
        match.ifPresent(p -> {
            pods.remove(p);
            warm.remove(p.podName()); // one given back counts as warming: handed out after warm ones
            placement.watch().forget(p.podName());
            notifyAll();
        });
        return match;
    }

    /** A pod taken but never launched: untouched, so the pool's again, unless the pool is full or closed. */
    synchronized void giveBack(Pooled pooled) {
        if (!closed && pods.size() < size) {
            pods.add(pooled);
            placement.watch().listen(pooled.podName(), this);
            notifyAll();
        } else {
            placement.background(() -> remove(pooled));
        }
    }

    /**
     * The confs a pooled pod must share with a session: all but the number of executors, which its driver asks for
     * only when taken (Spark reads it at start only to ask for the first ones).
     */
    private static Map<String, String> startConf(Map<String, String> conf) {
        Map<String, String> start = new java.util.HashMap<>(conf);
        start.remove("spark.executor.instances");
        return start;
    }

    /** What the untaken pods hold of the gateway's capacity. */
    synchronized List<Map<String, String>> held() {
        return pods.stream().map(Pooled::heldConf).toList();
    }

    private void refillLoop() {
        try {
            while (true) {
                if (!short_()) {
                    continue;
                }
                if (!room.test(heldConf)) {
                    pause();
                    continue;
                }
                Pooled started = startOne();
                if (started != null) {
                    awaitWarm(started);
                }
            }
        } catch (InterruptedException closed) {
            // the gateway stops
        }
    }

    /** Whether the pool is short and may start one now; else pauses first. */
    private synchronized boolean short_() throws InterruptedException {
        if (closed) {
            throw new InterruptedException("closed");
        }
        if (pods.size() < size && System.currentTimeMillis() >= retryAt) {
            return true;
        }
        pause();
        return false;
    }

    /** A take, a pod's end or a session leaving (room) can change the answer: look again at least every second. */
    private synchronized void pause() throws InterruptedException {
        if (closed) {
            throw new InterruptedException("closed");
        }
        wait(1_000);
    }

    private Pooled startOne() {
        int poolId;
        synchronized (this) {
            if (closed || pods.size() >= size) {
                return null; // a pod given back meanwhile filled it
            }
            poolId = nextPoolId++;
        }
        try {
            Pooled pooled = maker.make(poolId);
            synchronized (this) {
                if (closed || pods.size() >= size) {
                    // Given back while this one was made: the pool keeps the one that may be warm already.
                    placement.background(() -> remove(pooled));
                    return null;
                }
                pods.add(pooled);
                placement.watch().listen(pooled.podName(), this);
            }
            LOG.info("warm pool: started driver pod {} in {} on {}", pooled.podName(), pooled.namespace(),
                    pooled.image());
            return pooled;
        } catch (RuntimeException e) {
            LOG.warn("warm pool: cannot start a driver pod: {}; trying again in {} s", e.toString(),
                    RETRY_AFTER_FAILURE_MILLIS / 1000);
            synchronized (this) {
                retryAt = System.currentTimeMillis() + RETRY_AFTER_FAILURE_MILLIS;
            }
            return null;
        }
    }

    /** Until the driver logs that Scala is warm (its pod's log: a driver may not write to its own pod), or it went. */
    private void awaitWarm(Pooled pooled) throws InterruptedException {
        long until = System.currentTimeMillis() + WARM_WAIT_MILLIS;
        while (System.currentTimeMillis() < until) {
            synchronized (this) {
                if (closed) {
                    throw new InterruptedException("closed");
                }
                if (!pods.contains(pooled)) {
                    return; // taken or gone
                }
            }
            if (placement.tailOfLog(pooled.namespace(), pooled.podName(), DriverPods.DRIVER_CONTAINER, 200).stream()
                    .anyMatch(line -> line.contains(WARM_LINE))) {
                synchronized (this) {
                    warm.add(pooled.podName());
                }
                LOG.info("warm pool: driver pod {} is warm", pooled.podName());
                return;
            }
            synchronized (this) {
                wait(500);
            }
        }
    }

    /** A pooled pod that failed, ended or was deleted before any session took it: it goes, and the pool refills. */
    @Override
    public void changed(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            lost(pod.getMetadata().getName(), "deleted", false);
        } else if (DriverPodFailure.of(pod).isPresent() || "Succeeded".equals(phase) || "Failed".equals(phase)) {
            lost(pod.getMetadata().getName(), DriverPodFailure.of(pod).map(DriverPodFailure::cause).orElse(phase), true);
        }
    }

    @Override
    public void deleted(Pod pod) {
        lost(pod.getMetadata().getName(), "deleted", false);
    }

    /** {@code failed}: it ended by itself (else someone deleted it), which before it got warm delays the next. */
    private void lost(String podName, String how, boolean failed) {
        Pooled gone;
        boolean later;
        synchronized (this) {
            gone = pods.stream().filter(p -> p.podName().equals(podName)).findFirst().orElse(null);
            if (gone == null || closed) {
                return;
            }
            pods.remove(gone);
            later = !warm.remove(podName) && failed;
            if (later) {
                // It failed before it got warm: starting another at once would likely fail the same way.
                retryAt = System.currentTimeMillis() + RETRY_AFTER_FAILURE_MILLIS;
            }
            notifyAll();
        }
        LOG.warn("warm pool: driver pod {} ended before any session took it ({}); {}", podName, how,
                later ? "trying again in " + RETRY_AFTER_FAILURE_MILLIS / 1000 + " s" : "starting another");
        placement.watch().forget(podName);
        placement.background(() -> remove(gone));
    }

    private void remove(Pooled pooled) {
        placement.deletePod(pooled.namespace(), pooled.podName(), java.time.Duration.ZERO);
        placement.secrets().delete(pooled.namespace(), pooled.secretName());
        pooled.executors().release();
    }

    /** Deletes the pods still pooled: they are no one's, and a next gateway would delete them anyway. */
    @Override
    public void close() {
        List<Pooled> ending;
        synchronized (this) {
            closed = true;
            notifyAll();
            ending = List.copyOf(pods);
            pods.clear();
        }
        if (refill != null) {
            refill.interrupt();
        }
        ending.forEach(p -> {
            placement.watch().forget(p.podName());
            remove(p);
        });
    }
}
