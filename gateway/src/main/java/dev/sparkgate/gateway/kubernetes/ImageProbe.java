package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.errors.ImageProbeFailed;
import dev.sparkgate.gateway.errors.ImageProbeTimedOut;
import dev.sparkgate.gateway.errors.Unavailable;
import dev.sparkgate.protocol.VersionVerdict.ImageSide;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns an image's Spark and Python by running it: a short-lived pod in the session's namespace, with the
 * executors' service account and pull secrets (so the cluster's policies apply as they will to executors), that
 * prints both versions. The pod is deleted whatever happens.
 */
final class ImageProbe {

    static final String ROLE_LABEL = "sparkgate.dev/role";
    private static final Logger LOG = LoggerFactory.getLogger(ImageProbe.class);
    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull");
    /**
     * The Spark version from the name of Spark's core jar (what apache/spark images carry in $SPARK_HOME/jars), else
     * from spark-submit's banner; the Python version from python3 itself; the Java version from the java a driver pod
     * runs ({@code $JAVA_HOME/bin/java}, else the PATH's), as {@code java -version} prints it.
     */
    static final String SCRIPT = String.join("\n",
            "v=''",
            "for j in \"${SPARK_HOME:-/opt/spark}\"/jars/spark-core_*.jar; do [ -e \"$j\" ] && v=$(basename \"$j\" .jar) && v=${v##*-}; done",
            "if [ -z \"$v\" ] && command -v spark-submit >/dev/null 2>&1; then",
            "  v=$(spark-submit --version 2>&1 | sed -n 's/.*version \\([0-9][0-9.]*\\).*/\\1/p' | head -n 1)",
            "fi",
            "echo \"sparkgate.spark=${v:-none}\"",
            "p=$(python3 --version 2>&1 | sed -n 's/^Python \\([0-9][0-9.]*\\).*/\\1/p')",
            "echo \"sparkgate.python=${p:-none}\"",
            "j=$(\"${JAVA_HOME:+$JAVA_HOME/bin/}java\" -version 2>&1 | sed -n 's/.*version \"\\([0-9][0-9._]*\\)\".*/\\1/p' | head -n 1)",
            "echo \"sparkgate.java=${j:-none}\"");
    private static final Pattern ANSWER = Pattern.compile("sparkgate\\.(spark|python|java)=(\\S+)");

    private final KubernetesClient client;
    private final String instance;
    private final String serviceAccount;
    private final Duration timeout;

    ImageProbe(KubernetesClient client, String instance, String serviceAccount, Duration timeout) {
        this.client = client;
        this.instance = instance;
        this.serviceAccount = serviceAccount;
        this.timeout = timeout;
    }

    ImageSide probe(String image, String namespace, List<String> pullSecrets) {
        String name = "sparkgate-probe-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withLabels(Map.of(ExecutorPods.GATEWAY_LABEL, instance,
                        ROLE_LABEL, "image-probe")).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withActiveDeadlineSeconds(timeout.toSeconds() + 5)
                .withServiceAccountName(serviceAccount)
                .withImagePullSecrets(pullSecrets.stream().map(LocalObjectReference::new).toList())
                .addNewContainer().withName("probe").withImage(image).withCommand("sh", "-c", SCRIPT).endContainer()
                .endSpec().build();
        LOG.info("probing image {} with pod {} in {}", image, name, namespace);
        client.pods().inNamespace(namespace).resource(pod).create();
        try {
            Pod done = awaitEnd(image, namespace, name);
            String output = client.pods().inNamespace(namespace).withName(name).withReadyWaitTimeout(0).getLog();
            if (!"Succeeded".equals(done.getStatus().getPhase())) {
                throw new ImageProbeFailed("The probe of image " + image + " failed: " + lastLines(output)
                        + ". Declare the image in the catalog (SPARKGATE_IMAGE_CATALOG) if it cannot run sh.");
            }
            return answer(image, output, digest(done));
        } finally {
            client.pods().inNamespace(namespace).withName(name).delete();
        }
    }

    private Pod awaitEnd(String image, String namespace, String name) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Pod pod = client.pods().inNamespace(namespace).withName(name).get();
            if (pod != null && pod.getStatus() != null) {
                String phase = pod.getStatus().getPhase();
                if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                    return pod;
                }
                for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
                    var waiting = status.getState() == null ? null : status.getState().getWaiting();
                    if (waiting != null && PULL_FAILURES.contains(waiting.getReason())) {
                        throw new ImageProbeFailed("Image " + image + " cannot be pulled (" + waiting.getReason() + ": "
                                + waiting.getMessage() + "): check its name and the pull secrets "
                                + "(spark.kubernetes.container.image.pullSecrets).");
                    }
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ImageProbeTimedOut("The probe of image " + image + " did not finish within " + timeout.toSeconds()
                        + " s (pod " + name + " in " + namespace + "). Try again once the image is cached on the nodes, "
                        + "raise SPARKGATE_PROBE_TIMEOUT, or declare the image in the catalog (SPARKGATE_IMAGE_CATALOG).");
            }
            sleep();
        }
    }

    private static ImageSide answer(String image, String output, String digest) {
        Map<String, String> found = new java.util.HashMap<>(Map.of("spark", "none", "python", "none", "java", "none"));
        Matcher m = ANSWER.matcher(output == null ? "" : output);
        while (m.find()) {
            found.put(m.group(1), m.group(2));
        }
        return new ImageSide(image, found.get("spark"), found.get("python"), found.get("java"), "probe", digest);
    }

    private static String digest(Pod pod) {
        return pod.getStatus().getContainerStatuses().stream().map(ContainerStatus::getImageID)
                .filter(id -> id != null && id.contains("@sha256:")).map(id -> id.substring(id.indexOf("sha256:")))
                .findFirst().orElse(null);
    }

    private static String lastLines(String output) {
        if (output == null || output.isBlank()) {
            return "it printed nothing";
        }
        List<String> lines = Arrays.asList(output.strip().split("\n"));
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("Interrupted while probing an image; try again.");
        }
    }
}
