package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.errors.ImageNotDeclared;
import dev.sparkgate.protocol.SessionView.ExecutorView;
import dev.sparkgate.protocol.VersionVerdict.ImageSide;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** No cluster: executors run inside each driver ({@code local[*]}), with no image and nothing to clean up. */
final class NoCluster implements ExecutorCluster {

    static final NoCluster INSTANCE = new NoCluster();

    /**
     * A driver whose executors are inside it serves this machine only, so everything it listens on stays on loopback.
     * Its RPC and block manager follow {@code spark.driver.bindAddress} (SparkBoot), but Spark's web UI binds where
     * {@code SPARK_LOCAL_IP} says, else on every interface: without this, anyone who can reach the gateway's machine
     * could open any user's Spark UI directly, around the gateway's proxy and its access checks. An operator's own
     * {@code SPARK_LOCAL_IP} gives way for the same reason.
     */
    static final Map<String, String> DRIVER_ENVIRONMENT = Map.of("SPARK_LOCAL_IP", "127.0.0.1");

    private static final ExecutorPlacement IN_THE_DRIVER = new ExecutorPlacement() {
        @Override
        public Map<String, String> sparkConf() {
            return Map.of();
        }

        @Override
        public Map<String, String> driverEnvironment() {
            return DRIVER_ENVIRONMENT;
        }

        @Override
        public Optional<ExecutorImage> image() {
            return Optional.empty();
        }

        @Override
        public List<ExecutorView> executors() {
            return List.of();
        }

        @Override
        public void release() {
        }
    };

    private NoCluster() {
    }

    @Override
    public ExecutorPlacement place(int sessionId, Map<String, String> conf) {
        return IN_THE_DRIVER;
    }

    @Override
    public String defaultNamespace() {
        return "default";
    }

    @Override
    public ImageSide probeImage(String image, String namespace, List<String> pullSecrets) {
        throw new ImageNotDeclared("Image " + image + " is not in the image catalog (SPARKGATE_IMAGE_CATALOG), and "
                + "without a cluster it cannot be probed.");
    }

    @Override
    public void reapOrphans(Set<Integer> liveSessions) {
    }

    @Override
    public void close() {
    }
}
