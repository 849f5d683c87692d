package dev.sparkgate.gateway.versions;

import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.errors.ImageProbeFailed;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.VersionVerdict.ImageSide;
import dev.sparkgate.versions.DriverPython;
import dev.sparkgate.versions.PythonCandidate;
import dev.sparkgate.versions.VersionRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proves, before any executor is asked for, that a session's driver and its executor image agree on Spark and,
 * where the session runs Python, on Python. The image's versions come from the operator's catalog, else from a
 * probe pod; they are cached per image reference (and digest), so the second session on an image costs nothing.
 */
public final class VersionCheck {

    /** The session conf an expert sets to go on despite a refusal ({@code warn}); it never reaches Spark. */
    public static final String OVERRIDE_CONF = "sparkgate.versionCheck";
    private static final Logger LOG = LoggerFactory.getLogger(VersionCheck.class);

    /** The Spark versions of the driver runtimes, oldest first: the one of the image's minor drives a session. */
    private final List<String> driverSparks;
    /** The Java the driver needs of the image when it runs the image's Java (pod placement); else 0. */
    private final int driverJava;
    private final PythonSource pythons;
    private final ImageCatalog catalog;
    private final ImageProber prober;
    private final Map<String, CompletableFuture<ImageSide>> images = new ConcurrentHashMap<>();

    /** Learns an image's versions by running it, where there is a cluster to run it on. */
    @FunctionalInterface
    public interface ImageProber {
        ImageSide probe(String image, String namespace, List<String> pullSecrets);
    }

    /** The Pythons a session's driver could run, given its confs and its executor image. */
    @FunctionalInterface
    private interface PythonSource {
        List<PythonCandidate> forSession(Map<String, String> conf, ImageSide image);
    }

    /** Drivers beside the gateway: their Python is one of the gateway machine's ({@code pythons}). */
    public VersionCheck(List<String> driverSparks, DriverPythons pythons, ImageCatalog catalog, ImageProber prober) {
        this(driverSparks, 0, (conf, image) -> pythons.forSession(conf), catalog, prober);
    }

    private VersionCheck(List<String> driverSparks, int driverJava, PythonSource pythons, ImageCatalog catalog,
                         ImageProber prober) {
        this.driverSparks = List.copyOf(driverSparks);
        this.driverJava = driverJava;
        this.pythons = pythons;
        this.catalog = catalog;
        this.prober = prober;
    }

    /**
     * Drivers that run the executor image itself (pod placement): their Python is the image's ({@code python3}, or
     * what {@code spark.pyspark.driver.python} names in it) with the image's PySpark, so Python agrees by
     * construction; what is left to prove is that one of Sparkgate's runtimes, built for {@code runtimeSparks}, can
     * drive the image's Spark, and, when the driver runs the image's Java ({@code runtimeJava} above 0), that this
     * Java can run the runtime.
     */
    public static VersionCheck forDriversOnTheImage(List<String> runtimeSparks, int runtimeJava, ImageCatalog catalog,
                                                    ImageProber prober) {
        return new VersionCheck(runtimeSparks, runtimeJava, (conf, image) -> image.pythonVersion() == null ? List.of()
                : List.of(new PythonCandidate(conf.getOrDefault(DriverPython.DRIVER_PYTHON_CONF, "python3"),
                        image.pythonVersion(), image.sparkVersion())), catalog, prober);
    }

    public VersionRules.Judgement judge(Kind kind, String image, String namespace, Map<String, String> conf) {
        ImageSide side = image(image, namespace, conf);
        return VersionRules.judge(kind, driverSparks, driverJava, pythons.forSession(conf, side), side);
    }

    /** The image's versions: declared, cached, or probed now (one probe at a time per image). */
    public ImageSide image(String image, String namespace, Map<String, String> conf) {
        var declared = catalog.find(image);
        if (declared.isPresent()) {
            return declared.get();
        }
        CompletableFuture<ImageSide> known = images.computeIfAbsent(image, ref -> CompletableFuture.supplyAsync(() ->
                prober.probe(ref, namespace, pullSecrets(conf))));
        try {
            ImageSide side = known.join();
            if (side.digest() != null) {
                images.putIfAbsent(side.digest(), known);
            }
            return side;
        } catch (CompletionException e) {
            images.remove(image, known);
            if (e.getCause() instanceof GatewayError error) {
                throw error;
            }
            LOG.warn("probing image {} failed: {}", image, e.getCause().toString());
            throw new ImageProbeFailed("Probing image " + image + " failed: " + e.getCause().getMessage());
        }
    }

    private static List<String> pullSecrets(Map<String, String> conf) {
        String secrets = conf.get("spark.kubernetes.container.image.pullSecrets");
        return secrets == null || secrets.isBlank() ? List.of()
                : Arrays.stream(secrets.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
