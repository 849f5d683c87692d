package dev.sparkgate.gateway.versions;

import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.errors.ImageProbeFailed;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.VersionVerdict.ImageSide;
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

    private final String driverSpark;
    private final DriverPythons pythons;
    private final ImageCatalog catalog;
    private final ImageProber prober;
    private final Map<String, CompletableFuture<ImageSide>> images = new ConcurrentHashMap<>();

    /** Learns an image's versions by running it, where there is a cluster to run it on. */
    @FunctionalInterface
    public interface ImageProber {
        ImageSide probe(String image, String namespace, List<String> pullSecrets);
    }

    public VersionCheck(String driverSpark, DriverPythons pythons, ImageCatalog catalog, ImageProber prober) {
        this.driverSpark = driverSpark;
        this.pythons = pythons;
        this.catalog = catalog;
        this.prober = prober;
    }

    public VersionRules.Judgement judge(Kind kind, String image, String namespace, Map<String, String> conf) {
        return VersionRules.judge(kind, driverSpark, pythons.forSession(conf), image(image, namespace, conf));
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
